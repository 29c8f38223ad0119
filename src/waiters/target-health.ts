import { DescribeDBProxyTargetsCommand, type DBProxyTarget, type RDSClient } from '@aws-sdk/client-rds';
import { aws } from '../aws/errors.js';
import { poll, type PollVerdict } from './poll.js';
import { FAIL_FAST_REASONS, PENDING_REASON } from './target-health-reasons.js';
import type { TargetHealthRow } from './target-health-row.js';
import type { WaitContext } from './wait-context.js';

/** Proxies made by `up` use only the target group every proxy comes with. */
export const DEFAULT_TARGET_GROUP = 'default';

/** All target rows of a proxy's default target group, every page. */
export async function describeProxyTargets(rds: RDSClient, proxyName: string): Promise<TargetHealthRow[]> {
  const rows: TargetHealthRow[] = [];
  let marker: string | undefined;
  do {
    const page = await aws(`reading the targets of RDS proxy ${proxyName}`, () =>
      rds.send(
        new DescribeDBProxyTargetsCommand({ DBProxyName: proxyName, TargetGroupName: DEFAULT_TARGET_GROUP, Marker: marker }),
      ),
    );
    rows.push(...(page.Targets ?? []).map(toHealthRow));
    marker = page.Marker;
  } while (marker);
  return rows;
}

export function toHealthRow(target: DBProxyTarget): TargetHealthRow {
  return {
    type: target.Type ?? 'UNKNOWN',
    id: target.RdsResourceId ?? target.TrackedClusterId ?? target.Endpoint ?? 'unknown',
    state: target.TargetHealth?.State ?? 'UNKNOWN',
    reason: target.TargetHealth?.Reason,
    description: target.TargetHealth?.Description,
  };
}

/** "RDS_INSTANCE orders-dev-writer: UNAVAILABLE (PENDING_PROXY_CAPACITY)", one per row. */
/**
 * "RDS_INSTANCE orders-dev-writer: UNAVAILABLE (PENDING_PROXY_CAPACITY)". A TRACKED_CLUSTER row
 * carries no health of its own on AWS: its instances' rows do.
 */
export function describeTargetRow(row: TargetHealthRow): string {
  if (row.type === 'TRACKED_CLUSTER' && row.state === 'UNKNOWN') return `${row.type} ${row.id} (health is per instance)`;
  return `${row.type} ${row.id}: ${row.state}${row.reason ? ` (${row.reason})` : ''}`;
}

export function summarizeTargetHealth(rows: readonly TargetHealthRow[]): string {
  if (rows.length === 0) return 'no targets registered';
  return rows.map(describeTargetRow).join(', ');
}

type RowVerdict = { state: 'ok' } | { state: 'pending' } | { state: 'failed'; explanation: string };

function judgeRow(row: TargetHealthRow): RowVerdict {
  const state = row.state.toUpperCase();
  if (state === 'AVAILABLE') return { state: 'ok' };
  // UNKNOWN: no health reported yet (the row was just registered).
  if (state === 'REGISTERING' || state === 'UNKNOWN') return { state: 'pending' };
  // AWS shows UNAVAILABLE without a reason for a short while before REGISTERING or AVAILABLE.
  if (state === 'UNAVAILABLE' && (row.reason === undefined || row.reason === PENDING_REASON)) return { state: 'pending' };
  if (state === 'UNAVAILABLE' && row.reason !== undefined && FAIL_FAST_REASONS.has(row.reason)) {
    const description = row.description ? `: ${row.description}` : '';
    return { state: 'failed', explanation: `${row.type} ${row.id} is ${row.state} (${row.reason})${description}` };
  }
  // A state or reason this tool does not know: shown exactly as AWS reports it.
  return {
    state: 'failed',
    explanation: `${row.type} ${row.id} reports State ${row.state}, Reason ${row.reason ?? '-'}, Description ${row.description ?? '-'}`,
  };
}

/**
 * Usable when every RDS_INSTANCE row in use is AVAILABLE. Without any RDS_INSTANCE row yet, only
 * the TRACKED_CLUSTER row's own AVAILABLE counts.
 */
function targetHealthVerdict(rows: TargetHealthRow[], proxyName: string): PollVerdict<TargetHealthRow[]> {
  const instances = rows.filter((r) => r.type === 'RDS_INSTANCE');
  // UNUSED (one of AWS's TargetHealth states): a row the proxy does not route to; neither a
  // failure nor needed.
  const used = instances.filter((r) => r.state.toUpperCase() !== 'UNUSED');
  const judged = instances.length > 0 ? used : rows.filter((r) => r.type === 'TRACKED_CLUSTER');
  const status = summarizeTargetHealth(rows);
  for (const row of judged) {
    const verdict = judgeRow(row);
    if (verdict.state === 'failed') {
      return {
        state: 'failed',
        status: 'unhealthy',
        explanation: verdict.explanation,
        failure: {
          resource: { kind: 'proxy-target', id: proxyName },
          status: row.state,
          reason: row.reason,
          description: row.description,
          target: row,
        },
      };
    }
  }
  const allAvailable = judged.length > 0 && judged.every((r) => judgeRow(r).state === 'ok');
  return allAvailable ? { state: 'target', status, value: rows } : { state: 'pending', status };
}

/** Until the proxy can reach the cluster behind it; fails at once on reasons waiting cannot fix. */
export async function waitForTargetHealth(ctx: WaitContext, proxyName: string): Promise<TargetHealthRow[]> {
  const rds = await ctx.clients.rds();
  const what = `the target of RDS proxy ${proxyName}`;
  return poll({
    ...ctx.timing.wait,
    expectedMs: ctx.timing.wait.expected?.['proxy-target']?.readyMs,
    what,
    signal: ctx.signal,
    check: async () => targetHealthVerdict(await describeProxyTargets(rds, proxyName), proxyName),
    onPending: (status, elapsedMs) => ctx.progress({ kind: 'waiting', what, status, elapsedMs }),
  });
}
