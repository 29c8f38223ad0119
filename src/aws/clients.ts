import type { RDSClient } from '@aws-sdk/client-rds';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { STSClient } from '@aws-sdk/client-sts';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { RDSDataClient } from '@aws-sdk/client-rds-data';
import { isMissingPermission, noteRefusedCall } from './errors.js';
import { redact } from './redact.js';

export interface ClientSettings {
  region: string;
  profile?: string;
  /** All AWS calls go here (a local sandbox, a VPC endpoint). */
  endpoint?: string;
  /** Receives one line per AWS call, inputs redacted; undefined means quiet. */
  log?: (line: string) => void;
}

/**
 * The only place AWS clients are made. Each getter imports its SDK package on first use, so a
 * command loads only the clients it calls. Tests replace clients with aws-sdk-client-mock.
 */
export interface AwsClients {
  readonly settings: ClientSettings;
  rds(): Promise<RDSClient>;
  ec2(): Promise<EC2Client>;
  iam(): Promise<IAMClient>;
  secretsManager(): Promise<SecretsManagerClient>;
  sts(): Promise<STSClient>;
  kms(): Promise<KMSClient>;
  lambda(): Promise<LambdaClient>;
  logs(): Promise<CloudWatchLogsClient>;
  /** The RDS Data API: SQL on a cluster through its HTTP endpoint (database users). */
  rdsData(): Promise<RDSDataClient>;
}

interface SdkClient {
  middlewareStack: {
    add(middleware: unknown, options: { step: 'initialize'; name: string }): void;
  };
}

/** The SDK's standard mode retries throttling and 5xx with backoff and jitter. */
const MAX_ATTEMPTS = 6;

function clientConfig(settings: ClientSettings): Record<string, unknown> {
  return {
    region: settings.region,
    maxAttempts: MAX_ATTEMPTS,
    retryMode: 'standard',
    ...(settings.profile ? { profile: settings.profile } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
  };
}

function addCallLog(client: SdkClient, service: string, log: (line: string) => void): void {
  const middleware =
    (next: (args: { input: unknown }) => Promise<{ output: unknown }>, context: { commandName?: string }) =>
    async (args: { input: unknown }) => {
      const started = Date.now();
      const call = `${service}.${(context.commandName ?? 'Command').replace(/Command$/, '')}`;
      try {
        const result = await next(args);
        log(`aws ${call} ${JSON.stringify(redact(args.input))} → ok (${Date.now() - started} ms)`);
        return result;
      } catch (err) {
        const name = err instanceof Error ? err.name : 'Error';
        log(`aws ${call} ${JSON.stringify(redact(args.input))} → ${name} (${Date.now() - started} ms)`);
        throw err;
      }
    };
  client.middlewareStack.add(middleware, { step: 'initialize', name: 'rdsproxySetupCallLog' });
}

/** Notes the IAM action of a call AWS refuses (`rds:CreateDBCluster`), so that the error can name the missing permission. */
function addRefusalNote(client: SdkClient, service: string): void {
  const middleware =
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      try {
        return await next(args);
      } catch (err) {
        if (isMissingPermission(err)) noteRefusedCall(err, `${service}:${(context.commandName ?? '').replace(/Command$/, '')}`);
        throw err;
      }
    };
  client.middlewareStack.add(middleware, { step: 'initialize', name: 'rdsproxySetupRefusalNote' });
}

export function createAwsClients(settings: ClientSettings): AwsClients {
  const cache = new Map<string, Promise<unknown>>();

  function lazy<T extends SdkClient>(service: string, make: (config: Record<string, unknown>) => Promise<T>) {
    return (): Promise<T> => {
      let client = cache.get(service) as Promise<T> | undefined;
      if (!client) {
        client = make(clientConfig(settings)).then((c) => {
          addRefusalNote(c, service);
          if (settings.log) addCallLog(c, service, settings.log);
          return c;
        });
        cache.set(service, client);
      }
      return client;
    };
  }

  return {
    settings,
    rds: lazy('rds', async (c) => new (await import('@aws-sdk/client-rds')).RDSClient(c)),
    ec2: lazy('ec2', async (c) => new (await import('@aws-sdk/client-ec2')).EC2Client(c)),
    iam: lazy('iam', async (c) => new (await import('@aws-sdk/client-iam')).IAMClient(c)),
    secretsManager: lazy(
      'secretsmanager',
      async (c) => new (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient(c),
    ),
    sts: lazy('sts', async (c) => new (await import('@aws-sdk/client-sts')).STSClient(c)),
    kms: lazy('kms', async (c) => new (await import('@aws-sdk/client-kms')).KMSClient(c)),
    lambda: lazy('lambda', async (c) => new (await import('@aws-sdk/client-lambda')).LambdaClient(c)),
    logs: lazy('logs', async (c) => new (await import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient(c)),
    rdsData: lazy('rds-data', async (c) => new (await import('@aws-sdk/client-rds-data')).RDSDataClient(c)),
  };
}
