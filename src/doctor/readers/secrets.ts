import { DescribeSecretCommand, GetResourcePolicyCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { AwsClients } from '../../aws/clients.js';
import { parsePolicy } from '../policy-evaluation.js';
import { got, read, requiring } from '../read.js';
import type { Read, SecretShape, SecretSnapshot } from '../snapshot.js';
import { reader, uniqueIds } from './reader.js';

/** Reads the value only to learn its shape; the string itself goes no further than this function. */
function secretShape(secretString: string | undefined): SecretShape {
  try {
    const parsed: unknown = JSON.parse(secretString ?? '');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { json: false, keys: [] };
    const record = parsed as Record<string, unknown>;
    return {
      json: true,
      keys: Object.keys(record),
      username: typeof record.username === 'string' ? record.username : undefined,
    };
  } catch {
    return { json: false, keys: [] };
  }
}

async function readSecret(clients: AwsClients, arn: string): Promise<Read<SecretSnapshot>> {
  const sm = await clients.secretsManager();
  const [described, resourcePolicy, value] = await Promise.all([
    read(`reading secret ${arn}`, () => requiring('secretsmanager:DescribeSecret', arn, () => sm.send(new DescribeSecretCommand({ SecretId: arn })))),
    read(`reading the resource policy of secret ${arn}`, async () => {
      const { ResourcePolicy } = await requiring('secretsmanager:GetResourcePolicy', arn, () => sm.send(new GetResourcePolicyCommand({ SecretId: arn })));
      return ResourcePolicy ? parsePolicy(ResourcePolicy) : undefined;
    }),
    read(`reading the value of secret ${arn}`, async () =>
      secretShape((await requiring('secretsmanager:GetSecretValue', arn, () => sm.send(new GetSecretValueCommand({ SecretId: arn })))).SecretString),
    ),
  ]);
  if (!described.ok) return described;
  const d = described.value;
  return got({
    arn: d.ARN ?? arn,
    name: d.Name ?? arn,
    deletedDate: d.DeletedDate,
    kmsKeyId: d.KmsKeyId,
    resourcePolicy,
    value,
  });
}

/** The secret of each SECRETS auth entry of the proxy, by ARN; none when the proxy could not be read. */
export const secretsReader = reader(['proxy'], async ({ clients }, { proxy }): Promise<Map<string, Read<SecretSnapshot>>> => {
  const arns = proxy.ok ? uniqueIds((proxy.value.Auth ?? []).map((a) => a.SecretArn)) : [];
  return new Map(await Promise.all(arns.map(async (arn) => [arn, await readSecret(clients, arn)] as const)));
});
