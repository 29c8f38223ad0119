import { describe, expect, it } from 'vitest';
import { checksExplaining } from '../../../src/doctor/failure-checks.js';
import { CliError } from '../../../src/errors.js';
import { WaitFailedError, type WaitFailure } from '../../../src/waiters/wait-failed-error.js';

const waitFailed = (failure: WaitFailure) => new WaitFailedError('the wait stopped', failure);

describe('the doctor checks that explain a failure of up', () => {
  it('routes an unhealthy target to the checks for its health Reason', () => {
    const failure = waitFailed({ resource: { kind: 'proxy-target', id: 'p' }, status: 'UNAVAILABLE', reason: 'AUTH_FAILURE' });

    expect(checksExplaining(failure)).toEqual(['iam.role-reads-secret', 'iam.role-kms', 'secret.shape']);
  });

  it('routes a proxy stuck in incompatible-network to the subnet check', () => {
    const failure = waitFailed({ resource: { kind: 'proxy', id: 'p' }, status: 'incompatible-network' });

    expect(checksExplaining(failure)).toEqual(['proxy.subnets']);
  });

  it('sends a proxy state no single check explains to the whole report', () => {
    const failure = waitFailed({ resource: { kind: 'proxy', id: 'p' }, status: 'something-new' });

    expect(checksExplaining(failure)).toEqual([]);
  });

  it.each(['RoleNotUsable', 'RoleRefused'])('routes a role RDS refuses (%s) to the trust check', (code) => {
    expect(checksExplaining(new CliError('RDS refused IAM role r', { code }))).toEqual(['iam.role-trust']);
  });

  it('leaves failures the doctor does not look into alone', () => {
    const cluster = waitFailed({ resource: { kind: 'cluster', id: 'c' }, status: 'incompatible-parameters' });

    expect(checksExplaining(cluster)).toBeUndefined();
    expect(checksExplaining(new CliError('creating DB subnet group: denied'))).toBeUndefined();
  });
});
