import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../../src/aws/clients.js';
import { CliError } from '../../../src/errors.js';
import { readSecretCredentials, writeSecretHost } from '../../../src/steps/secret-value.js';

const sm = mockClient(SecretsManagerClient);
const clients = createAwsClients({ region: 'us-east-1' });
const FAKE_PASSWORD = 'Zq9!fake-PASSWORD-never-shown#42';
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rdsproxy-setup/unit-stack/master-AbCdEf';
const STORED = {
  username: 'postgres',
  password: FAKE_PASSWORD,
  engine: 'postgres',
  port: 5432,
  dbClusterIdentifier: 'unit-stack-cluster',
  host: '',
};

function storing(secretString: string | undefined) {
  sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ ARN, SecretString: secretString });
}

/** Everything a user could see of the error: message, hint, and its cause chain. */
function visibleText(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    parts.push(e.message, String(e), (e as CliError).hint ?? '');
  }
  return parts.join('\n');
}

async function readFailure(): Promise<CliError> {
  const err = await readSecretCredentials(clients, ARN).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CliError);
  return err as CliError;
}

beforeEach(() => sm.reset());

describe('reading the credentials in the secret', () => {
  it('returns every key of the RDS credential format', async () => {
    storing(JSON.stringify({ ...STORED, host: 'unit-stack-cluster.cluster-abc.us-east-1.rds.amazonaws.com' }));

    expect(await readSecretCredentials(clients, ARN)).toEqual({
      ...STORED,
      host: 'unit-stack-cluster.cluster-abc.us-east-1.rds.amazonaws.com',
    });
  });

  it('accepts a port written as text, as some tools store it', async () => {
    storing(JSON.stringify({ username: 'postgres', password: FAKE_PASSWORD, port: '5432' }));

    expect((await readSecretCredentials(clients, ARN)).port).toBe(5432);
  });

  it('fails clearly, without any of the content, when the secret is a bare password', async () => {
    storing(FAKE_PASSWORD);

    const err = await readFailure();

    expect(err.message).toBe(`Secret ${ARN} is not valid JSON.`);
    expect(err.hint).toContain('"username" and "password"');
    // The JSON parser's own message quotes the first characters of the text.
    expect(visibleText(err)).not.toContain(FAKE_PASSWORD.slice(0, 6));
  });

  it('fails clearly, without the content, when the password key is missing', async () => {
    storing(JSON.stringify({ username: 'postgres', pass: FAKE_PASSWORD }));

    const err = await readFailure();

    expect(err.message).toBe(`Secret ${ARN} has no "password" key with text.`);
    expect(visibleText(err)).not.toContain(FAKE_PASSWORD);
  });

  it('fails when the username key is missing', async () => {
    storing(JSON.stringify({ password: FAKE_PASSWORD }));

    expect((await readFailure()).message).toBe(`Secret ${ARN} has no "username" key with text.`);
  });

  it('fails when the secret holds JSON that is not an object', async () => {
    storing(JSON.stringify([FAKE_PASSWORD]));

    const err = await readFailure();

    expect(err.message).toBe(`Secret ${ARN} is not a JSON object.`);
    expect(visibleText(err)).not.toContain(FAKE_PASSWORD);
  });

  it('fails when the secret has no text value', async () => {
    storing(undefined);

    expect((await readFailure()).message).toBe(`Secret ${ARN} has no text value.`);
  });
});

describe('writing the host into the secret', () => {
  it('sets host and keeps every other key, the password included', async () => {
    storing(JSON.stringify({ ...STORED, extra: 'kept' }));
    sm.on(PutSecretValueCommand).resolves({ ARN });

    await writeSecretHost(clients, ARN, 'new-host.example');

    const input = sm.commandCalls(PutSecretValueCommand)[0]!.args[0].input;
    expect(input.SecretId).toBe(ARN);
    expect(JSON.parse(input.SecretString!)).toEqual({ ...STORED, extra: 'kept', host: 'new-host.example' });
  });
});
