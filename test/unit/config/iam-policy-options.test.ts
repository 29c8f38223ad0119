import { describe, expect, it } from 'vitest';
import { iamPolicyOptions } from '../../../src/config/iam-policy-options.js';
import { UsageError } from '../../../src/errors.js';

describe('iam-policy options', () => {
  it('covers every command, for any account, when nothing is given', () => {
    expect(iamPolicyOptions({})).toEqual({ commands: ['up', 'status', 'teardown', 'doctor', 'connect', 'grant', 'revoke', 'user'], account: '*' });
  });

  it('takes one command or several, comma-separated, in the table\'s order', () => {
    expect(iamPolicyOptions({ for: 'doctor' }).commands).toEqual(['doctor']);
    expect(iamPolicyOptions({ for: 'teardown, up' }).commands).toEqual(['up', 'teardown']);
    expect(iamPolicyOptions({ for: 'status,all' }).commands).toHaveLength(8);
    expect(iamPolicyOptions({ for: 'revoke,grant' }).commands).toEqual(['grant', 'revoke']);
  });

  it('refuses a name that is not a command, naming it and the choices', () => {
    expect(() => iamPolicyOptions({ for: 'up,deploy' })).toThrow(UsageError);
    expect(() => iamPolicyOptions({ for: 'up,deploy' })).toThrow('--for "deploy" is not a command: use up|status|teardown|doctor|connect|grant|revoke|user|all');
    expect(() => iamPolicyOptions({ for: 'up,' })).toThrow(UsageError);
  });

  it('takes a 12-digit account id and refuses anything else', () => {
    expect(iamPolicyOptions({ account: '123456789012' }).account).toBe('123456789012');
    expect(() => iamPolicyOptions({ account: '1234' })).toThrow('--account "1234" is not a 12-digit AWS account id.');
  });
});
