import { describe, expect, it } from 'vitest';
import { clientRequest, upClients } from '../../../src/config/grant-options.js';
import { UsageError } from '../../../src/errors.js';

describe('grant\'s and revoke\'s options', () => {
  it('take a function with its own options, and the user only when given', () => {
    expect(clientRequest({ lambda: 'api', attachVpc: true }, 'grant')).toEqual({
      kind: 'lambda',
      function: 'api',
      user: undefined,
      attachVpc: true,
      overwriteEnv: false,
    });
  });

  it('take a role by name or ARN, with its client security group', () => {
    expect(clientRequest({ role: 'arn:aws:iam::123456789012:role/service/task', clientSg: 'sg-0123456789abcdef0', user: 'app' }, 'grant')).toEqual({
      kind: 'role',
      role: 'arn:aws:iam::123456789012:role/service/task',
      user: 'app',
      clientSecurityGroupId: 'sg-0123456789abcdef0',
    });
  });

  it.each([
    [{}, 'grant needs exactly one client'],
    [{ lambda: 'api', role: 'task' }, 'grant needs exactly one client'],
    [{ lambda: 'api', clientSg: 'sg-0123456789abcdef0' }, '--client-sg goes with --role only'],
    [{ role: 'task', attachVpc: true }, '--attach-vpc goes with --lambda only'],
    [{ lambda: 'api:prod' }, 'names a version or alias'],
    [{ lambda: 'arn:aws:lambda:us-east-1:123456789012:function:api:3' }, 'names a version or alias'],
    [{ lambda: 'bad name' }, 'is not a valid function'],
    [{ role: 'bad role!' }, 'is not a valid IAM role'],
    [{ lambda: 'api', user: 'rds_superuser' }, 'is reserved'],
  ])('refuse %j before any AWS call (exit 2): %s', (raw, message) => {
    expect(() => clientRequest(raw, 'grant')).toThrow(UsageError);
    expect(() => clientRequest(raw, 'grant')).toThrow(message);
  });

  it('for revoke take only the client: it undoes what the records say', () => {
    expect(clientRequest({ lambda: 'api' }, 'revoke')).toMatchObject({ kind: 'lambda', function: 'api' });
    expect(() => clientRequest({ lambda: 'api', user: 'app' }, 'revoke')).toThrow('revoke takes only --lambda or --role');
  });
});

describe('up\'s --lambda', () => {
  it('is repeatable, in the order given', () => {
    expect(upClients({ lambda: ['f1', 'f2'], attachVpc: true })).toEqual({ functions: ['f1', 'f2'], attachVpc: true, overwriteEnv: false });
  });

  it('is not needed, but --attach-vpc or --overwrite-env without it are refused', () => {
    expect(upClients({ lambda: [] })).toEqual({ functions: [], attachVpc: false, overwriteEnv: false });
    expect(() => upClients({ attachVpc: true })).toThrow('--attach-vpc and --overwrite-env go with --lambda');
  });

  it('refuses a function named twice, or a bad name, before up\'s first write', () => {
    expect(() => upClients({ lambda: ['f1', 'f1'] })).toThrow('--lambda names a function twice');
    expect(() => upClients({ lambda: ['ok', 'not ok'] })).toThrow(UsageError);
  });
});
