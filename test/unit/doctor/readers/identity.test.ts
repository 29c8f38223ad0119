import { GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { identityReader } from '../../../../src/doctor/readers/identity.js';
import { scope } from './scope.js';

const sts = mockClient(STSClient);
afterEach(() => sts.reset());

describe('reading the caller identity', () => {
  it('gives the account and the caller\'s ARN', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/ops' });
    expect(await identityReader.read(scope(), {})).toEqual({ ok: true, value: { account: '111122223333', arn: 'arn:aws:iam::111122223333:user/ops' } });
  });

  it('keeps a credentials failure as a failed read that says what was being read', async () => {
    sts.on(GetCallerIdentityCommand).rejects(
      new STSServiceException({ name: 'ExpiredToken', $fault: 'client', $metadata: {}, message: 'The security token included in the request is expired' }),
    );
    expect(await identityReader.read(scope(), {})).toMatchObject({
      ok: false,
      code: 'ExpiredToken',
      error: 'reading the caller identity: The security token included in the request is expired (ExpiredToken)',
    });
  });
});
