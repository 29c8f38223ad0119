import type { CheckId } from './check.js';

/**
 * Which doctor checks explain a proxy target's health Reason (DOCTOR.md, check `proxy.targets`):
 * `proxy.targets` routes a failure to them, and `up` names them when a target turns unhealthy.
 */
export const TARGET_REASON_CHECKS: Readonly<Record<string, readonly CheckId[]>> = {
  AUTH_FAILURE: ['iam.role-reads-secret', 'iam.role-kms', 'secret.shape'],
  UNREACHABLE: ['sg.proxy-to-cluster', 'cluster.supported'],
  CONNECTION_FAILED: ['sg.proxy-to-cluster', 'cluster.supported'],
  PENDING_PROXY_CAPACITY: ['proxy.subnets', 'sg.proxy-egress-secrets'],
};

/** The doctor check ids that explain a reason; empty for reasons this tool does not know. */
export function doctorChecksFor(reason: string | undefined): readonly CheckId[] {
  return reason === undefined ? [] : (TARGET_REASON_CHECKS[reason] ?? []);
}
