import type { CheckId, CheckResult, CheckStatus } from './check.js';
import type { Summary } from './run-checks.js';

/** `doctor --json` (DESIGN.md section 2). */
export interface DoctorReport {
  target: {
    proxy: string;
    region: string;
    cluster?: string;
    endpoint?: string;
    lambda?: string;
    user?: string;
    clientSecurityGroup?: string;
  };
  checks: CheckResult[];
  summary: Summary;
}

/** The hops of the path a connection takes: client → proxy → database, and proxy → Secrets Manager. */
export type Hop = 'client' | 'proxy' | 'database' | 'secrets';

/** Which checks decide each hop. */
export const HOPS: Record<Hop, readonly CheckId[]> = {
  client: ['sg.client-to-proxy', 'client.same-vpc', 'client.endpoint', 'client.tls', 'client.connect-permission', 'client.user-matches', 'proxy.auth'],
  proxy: ['account.identity', 'proxy.status', 'proxy.subnets'],
  database: ['sg.proxy-to-cluster', 'proxy.targets', 'cluster.supported'],
  secrets: ['sg.proxy-egress-secrets', 'iam.role-trust', 'iam.role-reads-secret', 'iam.role-kms', 'secret.shape'],
};

const SEVERITY: CheckStatus[] = ['fail', 'warn', 'pass', 'skip'];

/** The worst status among these results' checks of the hop; skip when none of them ran. */
export function hopStatus(results: readonly CheckResult[], hop: Hop): CheckStatus {
  const statuses = results.filter((r) => HOPS[hop].includes(r.id)).map((r) => r.status);
  return SEVERITY.find((s) => statuses.includes(s)) ?? 'skip';
}

/** The checks of a hop that fail or warn. */
export function hopProblems(results: readonly CheckResult[], hop: Hop): CheckResult[] {
  return results.filter((r) => HOPS[hop].includes(r.id) && (r.status === 'fail' || r.status === 'warn'));
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
