import { DescribeKeyCommand, GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import type { AwsClients } from '../../aws/clients.js';
import { parsePolicy, type PolicyDocument } from '../policy-evaluation.js';
import { got, missing, read } from '../read.js';
import type { KmsKeySnapshot, Read } from '../snapshot.js';
import { reader, uniqueIds } from './reader.js';

/** The key Secrets Manager uses when a secret names none. */
export const AWS_MANAGED_SECRETS_KEY = 'alias/aws/secretsmanager';

async function readKmsKey(clients: AwsClients, keyId: string): Promise<Read<KmsKeySnapshot>> {
  const kms = await clients.kms();
  const described = await read(`reading KMS key ${keyId}`, () => kms.send(new DescribeKeyCommand({ KeyId: keyId })));
  if (!described.ok) return described;
  const meta = described.value.KeyMetadata;
  const arn = meta?.Arn ?? keyId;
  const policy =
    meta?.KeyManager === 'AWS'
      ? missing<PolicyDocument>('AWS managed key: its policy is AWS\'s')
      : await read(`reading the key policy of KMS key ${arn}`, async () =>
          parsePolicy((await kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'default' }))).Policy ?? '{}'),
        );
  return got({
    arn,
    keyId: meta?.KeyId ?? keyId,
    enabled: meta?.Enabled ?? false,
    keyState: meta?.KeyState ?? 'unknown',
    keyManager: meta?.KeyManager ?? 'unknown',
    policy,
  });
}

/** The KMS key of each secret that names one other than the AWS managed key, by the secret's KmsKeyId. */
export const kmsKeysReader = reader(['secrets'], async ({ clients }, { secrets }): Promise<Map<string, Read<KmsKeySnapshot>>> => {
  const keyIds = uniqueIds([...secrets.values()].map((s) => (s.ok ? s.value.kmsKeyId : undefined))).filter(
    (id) => id !== AWS_MANAGED_SECRETS_KEY,
  );
  return new Map(await Promise.all(keyIds.map(async (id) => [id, await readKmsKey(clients, id)] as const)));
});
