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

/** The code of the proxy step's error when RDS still refuses the proxy's new IAM role. */
const ROLE_NOT_USABLE = 'RoleNotUsable';

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
  if (failure instanceof CliError && failure.code === ROLE_NOT_USABLE) return ['iam.role-trust'];
  return undefined;
}
