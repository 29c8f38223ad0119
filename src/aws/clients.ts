import type { RDSClient } from '@aws-sdk/client-rds';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { STSClient } from '@aws-sdk/client-sts';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { CLIENT_TIMEOUT_SECONDS } from '../config/client-function.js';
import { AWS_CALL_TIMING, invokeCallTiming, type AwsCallTiming } from '../config/timing.js';
import { CallsInFlight, type AbandonableHandler, type MiddlewareTarget } from './calls-in-flight.js';
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
  /** How long a call may take (AWS_CALL_TIMING unless a test shortens it). */
  callTiming?: AwsCallTiming;
}

/**
 * The only place AWS clients are made. Each getter imports its SDK package on first use, so a
 * command loads only the clients it calls. Tests replace clients with aws-sdk-client-mock.
 * Every call is bounded (AWS_CALL_TIMING) and can be abandoned.
 */
export interface AwsClients {
  readonly settings: ClientSettings;
  /**
   * Aborts every AWS call already sent, on every client (a Ctrl-C: nothing waits for a call that
   * hangs), at once or those still in flight after `graceMs`; calls started afterwards, such as a
   * rollback's, run normally. Returns how many were in flight.
   */
  abortCallsInFlight(graceMs?: number): number;
  rds(): Promise<RDSClient>;
  ec2(): Promise<EC2Client>;
  iam(): Promise<IAMClient>;
  secretsManager(): Promise<SecretsManagerClient>;
  sts(): Promise<STSClient>;
  kms(): Promise<KMSClient>;
  lambda(): Promise<LambdaClient>;
  /** Lambda for Invoke of the stack's function only: it waits out the function's own timeout, sent once. */
  lambdaInvoke(): Promise<LambdaClient>;
  logs(): Promise<CloudWatchLogsClient>;
  /** Parameter Store: the stack's lease. */
  ssm(): Promise<SSMClient>;
  /** The RDS Data API: SQL on a cluster through its HTTP endpoint (database users). */
  rdsData(): Promise<RDSDataClient>;
}

type SdkClient = MiddlewareTarget;

function clientConfig(settings: ClientSettings, timing: AwsCallTiming, requestHandler: AbandonableHandler): Record<string, unknown> {
  return {
    region: settings.region,
    maxAttempts: timing.maxAttempts,
    retryMode: 'standard',
    requestHandler,
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

/** The SDK's HTTP handler with connection and answer timeouts. */
async function boundedHandler(calls: CallsInFlight, timing: AwsCallTiming): Promise<AbandonableHandler> {
  const { NodeHttpHandler } = await import('@smithy/node-http-handler');
  return calls.handler(
    new NodeHttpHandler({
      connectionTimeout: timing.connectMs,
      requestTimeout: timing.answerMs,
      // Without it the SDK only logs a warning when the request timeout passes.
      throwOnRequestTimeout: true,
      // A response whose body stalls is bounded the same way.
      socketTimeout: timing.answerMs,
    }),
    timing,
  );
}

export function createAwsClients(settings: ClientSettings): AwsClients {
  const cache = new Map<string, Promise<unknown>>();
  const calls = new CallsInFlight();
  const timing = settings.callTiming ?? AWS_CALL_TIMING;

  function lazy<T extends SdkClient>(
    service: string,
    make: (config: Record<string, unknown>) => Promise<T>,
    clientTiming = timing,
    key = service,
  ) {
    return (): Promise<T> => {
      let client = cache.get(key) as Promise<T> | undefined;
      if (!client) {
        client = boundedHandler(calls, clientTiming).then(async (handler) => {
          const c = await make(clientConfig(settings, clientTiming, handler));
          calls.track(c);
          addRefusalNote(c, service);
          if (settings.log) addCallLog(c, service, settings.log);
          return c;
        });
        cache.set(key, client);
      }
      return client;
    };
  }

  return {
    settings,
    abortCallsInFlight: (graceMs) => calls.abandonAll(graceMs),
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
    lambdaInvoke: lazy(
      'lambda',
      async (c) => new (await import('@aws-sdk/client-lambda')).LambdaClient(c),
      invokeCallTiming(CLIENT_TIMEOUT_SECONDS, timing),
      'lambda-invoke',
    ),
    logs: lazy('logs', async (c) => new (await import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient(c)),
    ssm: lazy('ssm', async (c) => new (await import('@aws-sdk/client-ssm')).SSMClient(c)),
    rdsData: lazy('rds-data', async (c) => new (await import('@aws-sdk/client-rds-data')).RDSDataClient(c)),
  };
}
