/**
 * What a proxy target's health Reason means, shared by `up` (which fails fast on it) and
 * `doctor` (which routes a `proxy.targets` failure to the checks that explain it). DOCTOR.md,
 * check `proxy.targets`.
 */
export const TARGET_REASON_CHECKS: Readonly<Record<string, readonly string[]>> = {
  AUTH_FAILURE: ['iam.role-reads-secret', 'iam.role-kms', 'secret.shape'],
  UNREACHABLE: ['sg.proxy-to-cluster', 'cluster.supported'],
  CONNECTION_FAILED: ['sg.proxy-to-cluster', 'cluster.supported'],
  PENDING_PROXY_CAPACITY: ['proxy.subnets', 'sg.proxy-egress-secrets'],
};

/** Reasons that will not clear by waiting: the proxy cannot log in to, or reach, the database. */
export const FAIL_FAST_REASONS: ReadonlySet<string> = new Set(['AUTH_FAILURE', 'UNREACHABLE', 'CONNECTION_FAILED']);

/** The proxy is still scaling up; connections are retried once capacity is there. */
export const PENDING_REASON = 'PENDING_PROXY_CAPACITY';

/** The doctor check ids that explain a reason; empty for reasons this tool does not know. */
export function doctorChecksFor(reason: string | undefined): readonly string[] {
  return reason === undefined ? [] : (TARGET_REASON_CHECKS[reason] ?? []);
}

/** "Run `rdsproxy-setup doctor --name orders-dev`: checks a, b explain this." */
export function targetReasonHint(reason: string | undefined, stack: string): string {
  const doctor = `rdsproxy-setup doctor --name ${stack}`;
  const checks = doctorChecksFor(reason);
  if (checks.length === 0) return `Run \`${doctor}\` to see what the proxy's target reports.`;
  const which = checks.length === 1 ? `check ${checks[0]} explains` : `checks ${checks.join(', ')} explain`;
  return `Run \`${doctor}\`: ${which} this.`;
}
