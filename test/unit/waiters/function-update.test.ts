import { describe, expect, it } from 'vitest';
import { updateVerdict } from '../../../src/waiters/function-update.js';

describe('a Lambda function\'s last update, as a wait sees it', () => {
  it('is done when Successful, or when the function was never updated', () => {
    expect(updateVerdict('api', { LastUpdateStatus: 'Successful' }).state).toBe('target');
    expect(updateVerdict('api', {}).state).toBe('target');
  });

  it('goes on while InProgress', () => {
    expect(updateVerdict('api', { LastUpdateStatus: 'InProgress' }).state).toBe('pending');
  });

  it('stops on Failed with Lambda\'s reason', () => {
    const verdict = updateVerdict('api', {
      LastUpdateStatus: 'Failed',
      LastUpdateStatusReason: 'The subnet has no free IP addresses.',
      LastUpdateStatusReasonCode: 'SubnetOutOfIPAddresses',
    });
    expect(verdict).toMatchObject({
      state: 'failed',
      explanation: 'Lambda says: The subnet has no free IP addresses.',
      failure: { resource: { kind: 'function', id: 'api' }, reason: 'SubnetOutOfIPAddresses' },
    });
  });
});
