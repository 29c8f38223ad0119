import { Signer } from '@aws-sdk/rds-signer';
import pg from 'pg';
import type { QueryResult } from 'pg';
import type { ClientTimings } from './client-event.js';
import type { ClientRequest } from './client-request.js';
import { lambdaCredentials } from './lambda-credentials.js';

/** A step of the session failed: which one, what it had measured so far, and the error. */
export class SessionStepFailure extends Error {
  constructor(
    readonly phase: 'sign' | 'connect' | 'query',
    readonly timings: ClientTimings,
    readonly error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error));
    this.name = 'SessionStepFailure';
  }
}

export interface SessionOutcome {
  columns: string[];
  rows: Record<string, unknown>[];
  timings: Required<ClientTimings>;
}

/** Shown in pg_stat_activity and the proxy's logs, so a DBA can tell these sessions apart. */
const APPLICATION_NAME = 'rdsproxy-setup client function';

const elapsed = (since: number) => Math.round((performance.now() - since) * 10) / 10;

/**
 * An IAM auth token for exactly the proxy host, port, user and region, signed with the
 * function's own credentials (its execution role). Valid 15 minutes; never returned or logged.
 */
async function signToken(request: ClientRequest): Promise<string> {
  const { host, port, user, region } = request.target;
  const signer = new Signer({ hostname: host, port, username: user, region, credentials: lambdaCredentials });
  return signer.getAuthToken();
}

/**
 * Signs a token, opens one TLS session with full verification of the proxy host name against
 * Node's trust store (RDS Proxy certificates chain to Amazon's public roots; NODE_EXTRA_CA_CERTS
 * adds a CA), runs the statement and closes. Each step is timed on its own.
 */
export async function runSession(request: ClientRequest, queryTimeoutMs: number): Promise<SessionOutcome> {
  const { target } = request;
  const timings: ClientTimings = {};

  let started = performance.now();
  const token = await signToken(request).catch((err: unknown) => {
    throw new SessionStepFailure('sign', { ...timings }, err);
  });
  timings.signMs = elapsed(started);

  class ProxyClient extends pg.Client {
    // The only startup parameters sent: RDS Proxy rejects some others, and pg would add PGOPTIONS from the environment.
    getStartupConf(): Record<string, string> {
      return { user: target.user, database: target.database, application_name: APPLICATION_NAME };
    }
  }
  const client = new ProxyClient({
    host: request.dial?.address ?? target.host,
    port: request.dial?.port ?? target.port,
    user: target.user,
    database: target.database,
    password: token,
    ssl: { rejectUnauthorized: true, servername: target.host },
    connectionTimeoutMillis: request.connectTimeoutMs,
    query_timeout: queryTimeoutMs,
  });
  // A late socket error after a failure must not crash the invocation; the awaited call reports it.
  client.on('error', () => undefined);
  try {
    started = performance.now();
    await client.connect().catch((err: unknown) => {
      throw new SessionStepFailure('connect', { ...timings }, err);
    });
    timings.connectMs = elapsed(started);

    started = performance.now();
    const answer: QueryResult | QueryResult[] = await client.query(request.sql).catch((err: unknown) => {
      throw new SessionStepFailure('query', { ...timings }, err);
    });
    timings.queryMs = elapsed(started);
    const results: QueryResult[] = Array.isArray(answer) ? answer : [answer];
    const result = results[results.length - 1]!;
    return {
      columns: (result.fields ?? []).map((f) => f.name),
      rows: result.rows as Record<string, unknown>[],
      timings: timings as Required<ClientTimings>,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}
