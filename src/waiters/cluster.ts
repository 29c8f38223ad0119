import { DescribeDBClustersCommand, type DBCluster } from '@aws-sdk/client-rds';
import { aws, isNotFound } from '../aws/errors.js';
import type { StepContext } from '../steps/step.js';
import { formatElapsed, poll, type PollVerdict } from './poll.js';

/** What a resource waiter needs from the step context. */
export type WaitContext = Pick<StepContext, 'clients' | 'signal' | 'timing' | 'progress'>;

/** On the way to available: RDS is still working on the cluster. */
const PENDING_AVAILABLE = new Set([
  'creating',
  'backing-up',
  'modifying',
  'resetting-master-credentials',
  'upgrading',
  'configuring-iam-database-auth',
  'update-iam-db-auth',
  'renaming',
  'maintenance',
  'failing-over',
  'rebooting',
  'starting',
  'storage-optimization',
  'migrating',
  'promoting',
  'backtracking',
]);

/** States a cluster does not leave on its own; waiting on would only time out. */
const FAILED: Record<string, { reason: string; hint?: string }> = {
  'inaccessible-encryption-credentials': {
    reason: 'RDS cannot use the KMS key that encrypts its storage.',
    hint: 'Check that the KMS key is enabled and that RDS may use it (key policy, grants).',
  },
  'inaccessible-encryption-credentials-recoverable': {
    reason: 'RDS cannot use the KMS key that encrypts its storage.',
    hint: 'Re-enable the KMS key or restore its grants, then run the command again.',
  },
  'incompatible-network': { reason: 'the cluster cannot be placed in its subnets (no free addresses or subnet gone).' },
  'incompatible-parameters': { reason: 'its parameter group holds values this engine version rejects.' },
  'incompatible-restore': { reason: 'RDS could not restore it.' },
  'cloning-failed': { reason: 'the clone could not be created.' },
  'migration-failed': { reason: 'the migration into it failed.' },
  failed: { reason: 'RDS reports that creating or changing it failed.' },
  stopping: {
    reason: 'it is stopping, so it will not become available by itself.',
    hint: 'Start it (aws rds start-db-cluster) and run the command again.',
  },
  stopped: {
    reason: 'it is stopped, so it will not become available by itself.',
    hint: 'Start it (aws rds start-db-cluster) and run the command again.',
  },
  deleting: {
    reason: 'it is being deleted.',
    hint: 'Wait until the deletion has finished, then run the command again to build it anew.',
  },
};

/** Deleting, or still finishing what it did before the delete call (a final snapshot, a modify). */
const PENDING_DELETED = new Set(['deleting', 'backing-up', 'modifying']);

function clusterName(clusterId: string): string {
  return `Aurora cluster ${clusterId}`;
}

async function describeCluster(ctx: WaitContext, clusterId: string): Promise<DBCluster | undefined> {
  const rds = await ctx.clients.rds();
  try {
    const out = await aws(`reading ${clusterName(clusterId)}`, () =>
      rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId })),
    );
    return out.DBClusters?.[0];
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

function reportPending(ctx: WaitContext, what: string) {
  return (status: string, elapsedMs: number) =>
    ctx.progress(`waiting for ${what}: ${status} (${formatElapsed(elapsedMs)})`);
}

function availableVerdict(cluster: DBCluster | undefined): PollVerdict<DBCluster> {
  if (!cluster) return { state: 'failed', status: 'gone', reason: 'it no longer exists.' };
  const status = cluster.Status ?? 'unknown';
  if (status === 'available') return { state: 'target', status, value: cluster };
  if (PENDING_AVAILABLE.has(status)) return { state: 'pending', status, value: cluster };
  const known = FAILED[status];
  if (known) return { state: 'failed', status, ...known };
  return { state: 'failed', status, reason: `"${status}" is not a state on the way to available.` };
}

/** Polls until the cluster is available and returns its description. */
export function waitForClusterAvailable(ctx: WaitContext, clusterId: string): Promise<DBCluster> {
  const what = clusterName(clusterId);
  return poll({
    ...ctx.timing.wait,
    what,
    signal: ctx.signal,
    onPending: reportPending(ctx, what),
    check: async () => availableVerdict(await describeCluster(ctx, clusterId)),
  });
}

/** Polls until the cluster is gone; not-found is the target. */
export async function waitForClusterDeleted(ctx: WaitContext, clusterId: string): Promise<void> {
  const what = clusterName(clusterId);
  await poll<true>({
    ...ctx.timing.wait,
    what,
    signal: ctx.signal,
    onPending: reportPending(ctx, `${what} to be deleted`),
    check: async () => {
      const cluster = await describeCluster(ctx, clusterId);
      if (!cluster) return { state: 'target', status: 'deleted', value: true };
      const status = cluster.Status ?? 'unknown';
      if (PENDING_DELETED.has(status)) return { state: 'pending', status };
      return { state: 'failed', status, reason: `"${status}" is not a state on the way to deleted.` };
    },
  });
}
