import { describe, expect, it } from 'vitest';
import { doctorChecksFor, targetReasonHint } from '../../../src/doctor/target-reason-checks.js';

describe('routing a target health reason to the doctor checks', () => {
  it('routes AUTH_FAILURE to the secret\'s access and shape', () => {
    expect(doctorChecksFor('AUTH_FAILURE')).toEqual(['iam.role-reads-secret', 'iam.role-kms', 'secret.shape']);
  });

  it('routes a reason it does not know, or none, nowhere', () => {
    expect(doctorChecksFor('SOMETHING_NEW')).toEqual([]);
    expect(doctorChecksFor(undefined)).toEqual([]);
  });
});

describe('the hint up gives for an unhealthy target', () => {
  it('names the doctor command for the stack and the checks that explain the reason', () => {
    expect(targetReasonHint('UNREACHABLE', 'orders-dev')).toBe(
      'Run `rdsproxy-setup doctor --name orders-dev`: checks sg.proxy-to-cluster, cluster.supported explain this.',
    );
  });

  it('sends an unknown reason to the doctor to see what the target reports', () => {
    expect(targetReasonHint('SOMETHING_NEW', 'orders-dev')).toBe(
      "Run `rdsproxy-setup doctor --name orders-dev` to see what the proxy's target reports.",
    );
  });
});
