import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { AwsClients } from '../aws/clients.js';
import { aws } from '../aws/errors.js';
import { CliError } from '../errors.js';

/** The RDS credential format the secret holds (and RDS Proxy reads username/password from). */
export interface SecretCredentials {
  username: string;
  password: string;
  engine?: string;
  port?: number;
  host?: string;
  dbClusterIdentifier?: string;
}

const FORMAT_HINT =
  'The secret must hold JSON with string "username" and "password" keys (the RDS credential format).';

/**
 * Problems are described by key names only: no message may quote the secret's content, not even
 * the JSON parser's (it echoes the text), so parse errors are not kept as cause either.
 */
function unreadable(secretArn: string, problem: string): CliError {
  return new CliError(`Secret ${secretArn} ${problem}.`, { hint: FORMAT_HINT, code: 'InvalidSecret' });
}

async function readSecretJson(clients: AwsClients, secretArn: string): Promise<Record<string, unknown>> {
  const sm = await clients.secretsManager();
  const { SecretString } = await aws(`reading secret ${secretArn}`, () =>
    sm.send(new GetSecretValueCommand({ SecretId: secretArn })),
  );
  if (SecretString === undefined) throw unreadable(secretArn, 'has no text value');
  let value: unknown;
  try {
    value = JSON.parse(SecretString);
  } catch {
    throw unreadable(secretArn, 'is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw unreadable(secretArn, 'is not a JSON object');
  }
  return value as Record<string, unknown>;
}

function requiredString(secretArn: string, json: Record<string, unknown>, key: string): string {
  const value = json[key];
  if (typeof value !== 'string' || value.length === 0) throw unreadable(secretArn, `has no "${key}" key with text`);
  return value;
}

function optionalString(json: Record<string, unknown>, key: string): string | undefined {
  const value = json[key];
  return typeof value === 'string' ? value : undefined;
}

function optionalPort(json: Record<string, unknown>): number | undefined {
  const value = json.port;
  if (typeof value === 'number') return value;
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
}

export async function readSecretCredentials(clients: AwsClients, secretArn: string): Promise<SecretCredentials> {
  const json = await readSecretJson(clients, secretArn);
  return {
    username: requiredString(secretArn, json, 'username'),
    password: requiredString(secretArn, json, 'password'),
    engine: optionalString(json, 'engine'),
    port: optionalPort(json),
    host: optionalString(json, 'host'),
    dbClusterIdentifier: optionalString(json, 'dbClusterIdentifier'),
  };
}

/** Sets `host` and keeps every other key as it is, as a new current version of the secret. */
export async function writeSecretHost(clients: AwsClients, secretArn: string, host: string): Promise<void> {
  const json = await readSecretJson(clients, secretArn);
  const sm = await clients.secretsManager();
  await aws(`writing the host into secret ${secretArn}`, () =>
    sm.send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: JSON.stringify({ ...json, host }) })),
  );
}
