import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { got, missing } from '../../../../src/doctor/read.js';
import { AWS_MANAGED_SECRETS_KEY, kmsKeysReader } from '../../../../src/doctor/readers/kms-keys.js';
import type { SecretSnapshot } from '../../../../src/doctor/snapshot.js';
import { KEY_ARN, SECRET_ARN } from '../healthy-snapshot.js';
import { scope } from './scope.js';

const kms = mockClient(KMSClient);
afterEach(() => kms.reset());

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const secretsUsing = (kmsKeyId?: string) =>
  new Map([[SECRET_ARN, got<SecretSnapshot>({ arn: SECRET_ARN, name: 'orders/db', kmsKeyId, resourcePolicy: got(undefined), value: missing('not read') })]]);
const KEY_POLICY = { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }] };

describe('reading the secrets\' KMS keys', () => {
  it('reads a customer managed key and its policy, by the secret\'s KmsKeyId', async () => {
    kms.on(DescribeKeyCommand, { KeyId: 'alias/orders' }).resolves({
      KeyMetadata: { KeyId: KEY_ID, Arn: KEY_ARN, Enabled: true, KeyState: 'Enabled', KeyManager: 'CUSTOMER' },
    });
    kms.on(GetKeyPolicyCommand, { KeyId: KEY_ARN, PolicyName: 'default' }).resolves({ Policy: JSON.stringify(KEY_POLICY) });
    const keys = await kmsKeysReader.read(scope(), { secrets: secretsUsing('alias/orders') });
    expect(keys.get('alias/orders')).toEqual(
      got({ arn: KEY_ARN, keyId: KEY_ID, enabled: true, keyState: 'Enabled', keyManager: 'CUSTOMER', policy: got(KEY_POLICY) }),
    );
  });

  it('does not ask for the policy of a key AWS manages', async () => {
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: KEY_ID, Arn: KEY_ARN, Enabled: true, KeyState: 'Enabled', KeyManager: 'AWS' } });
    const key = (await kmsKeysReader.read(scope(), { secrets: secretsUsing(KEY_ARN) })).get(KEY_ARN)!;
    expect(key.ok && key.value.policy.ok).toBe(false);
    expect(kms.commandCalls(GetKeyPolicyCommand)).toHaveLength(0);
  });

  it('reads no key for a secret on the default key of Secrets Manager, or on none', async () => {
    expect((await kmsKeysReader.read(scope(), { secrets: secretsUsing(AWS_MANAGED_SECRETS_KEY) })).size).toBe(0);
    expect((await kmsKeysReader.read(scope(), { secrets: secretsUsing(undefined) })).size).toBe(0);
    expect(kms.calls()).toHaveLength(0);
  });
});
