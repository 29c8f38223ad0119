import { describe, expect, it } from 'vitest';
import { doctorChecksFor } from '../../../src/doctor/target-reason-checks.js';

describe('routing a target health reason to the doctor checks', () => {
  it('routes AUTH_FAILURE to the secret\'s access and shape', () => {
    expect(doctorChecksFor('AUTH_FAILURE')).toEqual(['iam.role-reads-secret', 'iam.role-kms', 'secret.shape']);
  });

  it('routes a reason it does not know, or none, nowhere', () => {
    expect(doctorChecksFor('SOMETHING_NEW')).toEqual([]);
    expect(doctorChecksFor(undefined)).toEqual([]);
  });
});
