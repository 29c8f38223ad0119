import { commandContext } from './command-context.js';
import type { RawGlobalOptions } from '../config/global-options.js';
import { stackNames } from '../config/names.js';
import { CliError } from '../errors.js';
import { connectOptions, type ConnectOptions, type RawConnectOptions } from '../connect/connect-options.js';
import { explainConnectFailure, explainQueryFailure, type SessionContext } from '../connect/connection-errors.js';
import { DEFAULT_QUERY } from '../connect/default-query.js';
import { connectionEnv, envScript } from '../connect/env.js';
import { resolveTarget, type ConnectTarget } from '../connect/resolve-target.js';
import { resultTable } from '../connect/result-table.js';
import { connectionSnippet } from '../connect/snippet.js';
import { runOverTls, SessionFailure, type QueryResult } from '../connect/tls-client.js';
import { signAuthToken } from '../connect/token.js';
import type { CommandContext } from './command-context.js';

/** Long enough for a cold proxy and a slow tunnel, short enough to tell a blocked path quickly. */
const CONNECT_TIMEOUT_MS = 20_000;

async function target(ctx: CommandContext, options: ConnectOptions): Promise<ConnectTarget> {
  const { config, out, clients } = ctx;
  const proxyName = options.proxy ?? stackNames(config.stack, config.region).proxy;
  const activity = out.start(`Reading RDS proxy ${proxyName}`);
  try {
    const found = await resolveTarget(clients, {
      proxyName,
      fromStack: options.proxy === undefined,
      stack: config.stack,
      user: options.user,
      database: options.database,
    });
    activity.succeed(`RDS proxy ${proxyName}: ${found.host}, user ${found.user}, database ${found.database}`);
    return found;
  } catch (err) {
    activity.fail(`Could not read RDS proxy ${proxyName}`);
    throw err;
  }
}

async function query(ctx: CommandContext, options: ConnectOptions, found: ConnectTarget): Promise<QueryResult> {
  const rds = await ctx.clients.rds();
  const session: SessionContext = { target: found, via: options.via, connectTimeoutMs: CONNECT_TIMEOUT_MS };
  const route = options.via ? `${found.host} via ${options.via.host}:${options.via.port}` : found.host;
  const activity = ctx.out.start(`Connecting to ${route} with TLS and an IAM token for ${found.user}`);
  const password = async () => {
    try {
      const { host, port, user, region } = found;
      return await signAuthToken({ host, port, user, region, credentials: rds.config.credentials });
    } catch (err) {
      throw new CliError(`Could not sign an IAM auth token: ${err instanceof Error ? err.message : String(err)}`, {
        code: 'TokenFailed',
        cause: err,
        hint: 'connect signs with the same credentials as the AWS calls: check --profile and your AWS credentials.',
      });
    }
  };
  try {
    const result = await runOverTls({
      target: found,
      via: options.via,
      password,
      sql: options.command ?? DEFAULT_QUERY,
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
    });
    activity.succeed(`Session through ${found.proxyName} as ${found.user}, TLS certificate verified for ${found.host}`);
    return result;
  } catch (err) {
    if (!(err instanceof SessionFailure)) throw err;
    if (err.phase === 'query') {
      activity.succeed(`Session through ${found.proxyName} as ${found.user}, TLS certificate verified for ${found.host}`);
      throw explainQueryFailure(err.error);
    }
    activity.fail(`Could not open a session with ${route}`);
    throw err.error instanceof CliError ? err.error : explainConnectFailure(err.error, session);
  }
}

/** `connect`: resolve the proxy, then print code or variables, or open an IAM + TLS session and run SQL. */
export async function run(raw: Record<string, unknown>): Promise<void> {
  const options = connectOptions(raw as RawConnectOptions);
  const ctx = await commandContext(raw as RawGlobalOptions);
  // Load pg and the signer while the AWS calls are in flight; their later imports hit the cache.
  if (options.mode === 'query') void Promise.all([import('pg'), import('@aws-sdk/rds-signer')]).catch(() => undefined);
  const found = await target(ctx, options);
  const description = {
    proxy: found.proxyName,
    endpoint: found.host,
    port: found.port,
    user: found.user,
    database: found.database,
    region: found.region,
  };
  if (options.mode === 'lambda') {
    const { connectFromLambda } = await import('./connect-from-lambda.js');
    await connectFromLambda(ctx, { ...options, takeOverLease: raw.takeOverLease === true }, found, description);
    return;
  }
  if (options.mode === 'snippet') {
    const snippet = connectionSnippet(found);
    ctx.out.result(() => snippet, () => ({ ...description, snippet }));
    return;
  }
  if (options.mode === 'env') {
    ctx.out.result(() => envScript(found), () => ({ ...description, env: connectionEnv(found) }));
    return;
  }
  const result = await query(ctx, options, found);
  const via = options.via ? `${options.via.host}:${options.via.port}` : undefined;
  ctx.out.result(
    () => resultTable(result),
    () => ({ ...description, ...(via ? { via } : {}), columns: result.columns, rows: result.rows }),
  );
}
