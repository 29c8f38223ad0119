import { CliError } from '../errors.js';
import { WaitFailedError } from '../waiters/wait-failed-error.js';
import type { CheckId } from './check.js';
import { doctorChecksFor } from './target-reason-checks.js';

/** Proxy states a wait stops on, and the checks that say why the proxy got there. */
const PROXY_STATUS_CHECKS: Readonly<Record<string, readonly CheckId[]>> = {
  'incompatible-network': ['proxy.subnets'],
  suspended: ['proxy.targets'],
  suspending: ['proxy.targets'],
};

/** The codes of the proxy step's errors when RDS refuses the proxy's IAM role. */
const ROLE_REFUSED = ['RoleNotUsable', 'RoleRefused'];

/**
 * Which doctor checks explain a failure of `up`, from the failure's typed data: a wait that
 * stopped on a target's health Reason or a proxy state, or a role RDS cannot use. Undefined for
 * a failure the doctor does not look into; an empty list where it does but knows no one check.
 */
export function checksExplaining(failure: unknown): readonly CheckId[] | undefined {
  if (failure instanceof WaitFailedError) {
    const { resource, status, reason } = failure.failure;
    if (resource.kind === 'proxy-target') return doctorChecksFor(reason);
    if (resource.kind === 'proxy') return PROXY_STATUS_CHECKS[status] ?? [];
    return undefined;
  }
  if (failure instanceof CliError && ROLE_REFUSED.includes(failure.code)) return ['iam.role-trust'];
  return undefined;
}
