import { DescribeKeyCommand, GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import type { AwsClients } from '../../aws/clients.js';
import { parsePolicy, type PolicyDocument } from '../policy-evaluation.js';
import { doctorResource } from '../denials.js';
import { got, missing, read, requiring } from '../read.js';
import type { KmsKeySnapshot, Read } from '../snapshot.js';
import { reader, uniqueIds } from './reader.js';

/** The key Secrets Manager uses when a secret names none. */
export const AWS_MANAGED_SECRETS_KEY = 'alias/aws/secretsmanager';

async function readKmsKey(clients: AwsClients, region: string, keyId: string): Promise<Read<KmsKeySnapshot>> {
  const kms = await clients.kms();
  // A secret names its key by ARN, id or alias; only an ARN says which key before it is read.
  const key = keyId.startsWith('arn:') ? keyId : doctorResource('kms:DescribeKey', region);
  const described = await read(`reading KMS key ${keyId}`, () => requiring('kms:DescribeKey', key, () => kms.send(new DescribeKeyCommand({ KeyId: keyId }))));
  if (!described.ok) return described;
  const meta = described.value.KeyMetadata;
  const arn = meta?.Arn ?? keyId;
  const policy =
    meta?.KeyManager === 'AWS'
      ? missing<PolicyDocument>('AWS managed key: its policy is AWS\'s')
      : await read(`reading the key policy of KMS key ${arn}`, async () => {
          const { Policy } = await requiring('kms:GetKeyPolicy', arn, () => kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'default' })));
          return parsePolicy(Policy ?? '{}');
        });
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
export const kmsKeysReader = reader(['secrets'], async ({ clients, region }, { secrets }): Promise<Map<string, Read<KmsKeySnapshot>>> => {
  const keyIds = uniqueIds([...secrets.values()].map((s) => (s.ok ? s.value.kmsKeyId : undefined))).filter(
    (id) => id !== AWS_MANAGED_SECRETS_KEY,
  );
  return new Map(await Promise.all(keyIds.map(async (id) => [id, await readKmsKey(clients, region, id)] as const)));
});
