import {
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { missing } from '../../../../src/doctor/read.js';
import { secretsReader } from '../../../../src/doctor/readers/secrets.js';
import { healthySnapshot, SECRET_ARN, value } from '../healthy-snapshot.js';
import { scope } from './scope.js';

const sm = mockClient(SecretsManagerClient);
afterEach(() => sm.reset());

const PASSWORD = 'correct-horse-battery-staple';
const { proxy } = healthySnapshot();

beforeEach(() => {
  sm.on(DescribeSecretCommand).resolves({ ARN: SECRET_ARN, Name: 'orders/db', KmsKeyId: 'alias/orders' });
  sm.on(GetResourcePolicyCommand).resolves({ ARN: SECRET_ARN });
  sm.on(GetSecretValueCommand).resolves({ ARN: SECRET_ARN, SecretString: JSON.stringify({ username: 'app_owner', password: PASSWORD, port: 5432 }) });
});

describe('reading the proxy\'s secrets', () => {
  it('gives each secret by ARN with the shape of its value: key names and username, never the password', async () => {
    const secrets = await secretsReader.read(scope(), { proxy });
    expect([...secrets.keys()]).toEqual([SECRET_ARN]);
    expect(secrets.get(SECRET_ARN)).toEqual({
      ok: true,
      value: {
        arn: SECRET_ARN,
        name: 'orders/db',
        kmsKeyId: 'alias/orders',
        resourcePolicy: { ok: true, value: undefined },
        value: { ok: true, value: { json: true, keys: ['username', 'password', 'port'], username: 'app_owner' } },
      },
    });
    expect(JSON.stringify([...secrets.values()])).not.toContain(PASSWORD);
  });

  it('says a value that is not a JSON object is not JSON', async () => {
    sm.on(GetSecretValueCommand).resolves({ ARN: SECRET_ARN, SecretString: PASSWORD });
    const secret = (await secretsReader.read(scope(), { proxy })).get(SECRET_ARN)!;
    expect(secret.ok && secret.value.value).toEqual({ ok: true, value: { json: false, keys: [] } });
  });

  it('keeps the secret\'s resource policy', async () => {
    const policy = { Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }] };
    sm.on(GetResourcePolicyCommand).resolves({ ARN: SECRET_ARN, ResourcePolicy: JSON.stringify(policy) });
    const secret = (await secretsReader.read(scope(), { proxy })).get(SECRET_ARN)!;
    expect(secret.ok && secret.value.resourcePolicy).toEqual({ ok: true, value: policy });
  });

  it('keeps a value the caller may not read as a failed read inside the secret', async () => {
    sm.on(GetSecretValueCommand).rejects(
      new SecretsManagerServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: {}, message: 'not authorized' }),
    );
    const secret = (await secretsReader.read(scope(), { proxy })).get(SECRET_ARN)!;
    expect(secret.ok && secret.value.value).toMatchObject({ ok: false, code: 'AccessDeniedException' });
  });

  it('keeps a secret that does not exist as a not-found read', async () => {
    sm.on(DescribeSecretCommand).rejects(new ResourceNotFoundException({ message: 'Secrets Manager can\'t find the specified secret.', $metadata: {} }));
    expect((await secretsReader.read(scope(), { proxy })).get(SECRET_ARN)).toMatchObject({ ok: false, code: 'ResourceNotFoundException', notFound: true });
  });

  it('reads a secret named by two auth entries once', async () => {
    const twice = healthySnapshot().proxy;
    value<{ Auth: object[] }>(twice).Auth.push({ AuthScheme: 'SECRETS', SecretArn: SECRET_ARN, IAMAuth: 'REQUIRED' });
    await secretsReader.read(scope(), { proxy: twice });
    expect(sm.commandCalls(DescribeSecretCommand)).toHaveLength(1);
  });

  it('reads no secret when the proxy could not be read', async () => {
    expect((await secretsReader.read(scope(), { proxy: missing('denied') })).size).toBe(0);
    expect(sm.calls()).toHaveLength(0);
  });
});
