import { MARK } from '../ui/symbols.js';
import { CHECK_GROUPS, type CheckId, type CheckResult, type CheckStatus } from './check.js';
import type { DoctorReport } from './run-doctor.js';

export const STATUS_MARK: Record<CheckStatus, string> = {
  pass: MARK.done,
  warn: MARK.warn,
  fail: MARK.fail,
  skip: MARK.skip,
};

/** The first line after the prefix, the following ones aligned under it. */
function indent(text: string, prefix: string): string {
  const pad = ' '.repeat(prefix.length);
  return text
    .split('\n')
    .map((line, i) => `${i === 0 ? prefix : pad}${line}`)
    .join('\n');
}

/** One check: mark, id and title; evidence under it; the fix under that. */
export function renderCheck(result: CheckResult): string {
  const lines = [`  ${STATUS_MARK[result.status]} ${result.id}  ${result.title}`, indent(result.evidence, '      ')];
  if (result.fix) lines.push(indent(result.fix, '      fix: '));
  return lines.join('\n');
}

/** Which checks decide each hop of the path a connection takes. */
const HOPS: Record<'client' | 'proxy' | 'database' | 'secrets', readonly CheckId[]> = {
  client: ['sg.client-to-proxy', 'client.same-vpc', 'client.endpoint', 'client.tls', 'client.connect-permission', 'client.user-matches', 'proxy.auth'],
  proxy: ['account.identity', 'proxy.status', 'proxy.subnets'],
  database: ['sg.proxy-to-cluster', 'proxy.targets', 'cluster.supported'],
  secrets: ['sg.proxy-egress-secrets', 'iam.role-trust', 'iam.role-reads-secret', 'iam.role-kms', 'secret.shape'],
};

const SEVERITY: CheckStatus[] = ['fail', 'warn', 'pass', 'skip'];

function hopStatus(results: readonly CheckResult[], ids: readonly CheckId[]): CheckStatus {
  const statuses = results.filter((r) => ids.includes(r.id)).map((r) => r.status);
  return SEVERITY.find((s) => statuses.includes(s)) ?? 'skip';
}

/** The path client → proxy → database, and proxy → Secrets Manager, each hop marked. */
export function renderPath(report: DoctorReport): string {
  const mark = (hop: keyof typeof HOPS) => STATUS_MARK[hopStatus(report.checks, HOPS[hop])];
  const proxy = `${mark('proxy')} proxy ${report.target.proxy}`;
  const database = report.target.cluster ? `cluster ${report.target.cluster}` : 'database';
  const client = report.target.lambda ? `Lambda ${report.target.lambda}` : 'client';
  const first = `  ${client} ──${mark('client')}──▶ ${proxy} ──${mark('database')}──▶ ${database}`;
  const branchAt = `  ${client} ──${mark('client')}──▶ `.length;
  const lines = [first, `${' '.repeat(branchAt)}└──${mark('secrets')}──▶ Secrets Manager`];
  for (const hop of Object.keys(HOPS) as (keyof typeof HOPS)[]) {
    const notPassing = report.checks.filter((r) => HOPS[hop].includes(r.id) && (r.status === 'fail' || r.status === 'warn'));
    if (notPassing.length > 0) {
      lines.push(`  ${STATUS_MARK[hopStatus(notPassing, HOPS[hop])]} ${hop}: ${notPassing.map((r) => r.id).join(', ')}`);
    }
  }
  return lines.join('\n');
}

export function renderSummary(report: DoctorReport): string {
  const { pass, warn, fail, skip } = report.summary;
  return `${fail > 0 ? MARK.fail : warn > 0 ? MARK.warn : MARK.done} ${pass} passed, ${warn} warning${warn === 1 ? '' : 's'}, ${fail} failed, ${skip} skipped`;
}

/** The human report: the tutorial's four headings, then "Beyond", a summary line and the path. */
export function renderReport(report: DoctorReport): string {
  const { target } = report;
  const header = `doctor: RDS proxy ${target.proxy} in ${target.region}${target.cluster ? `, cluster ${target.cluster}` : ''}${target.lambda ? `, Lambda ${target.lambda}` : ''}`;
  const sections = (Object.keys(CHECK_GROUPS) as (keyof typeof CHECK_GROUPS)[]).map((group) => {
    const results = report.checks.filter((r) => r.group === group);
    return [CHECK_GROUPS[group], ...results.map(renderCheck)].join('\n');
  });
  return [header, '', sections.join('\n\n'), '', renderSummary(report), '', renderPath(report)].join('\n');
}

/** `--json`: DESIGN.md's shape; each check keeps its group as an additive field. */
export function reportJson(report: DoctorReport): unknown {
  return {
    target: report.target,
    checks: report.checks.map((c) => ({
      id: c.id,
      title: c.title,
      group: c.group,
      status: c.status,
      evidence: c.evidence,
      ...(c.fix ? { fix: c.fix } : {}),
    })),
    summary: report.summary,
  };
}
