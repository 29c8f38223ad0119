import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { QueryResult as PgResult } from 'pg';
import type { ConnectTarget } from './resolve-target.js';
import type { TcpAddress } from './connect-options.js';

export interface QueryResult {
  columns: string[];
  rows: Record<string, unknown>[];
}

export interface SessionRequest {
  target: ConnectTarget;
  /** A local tunnel to the proxy; TLS server name and token stay the proxy host's. */
  via?: TcpAddress;
  /** Signs a fresh token; called once, when the server asks for the password. */
  password: () => Promise<string>;
  sql: string;
  connectTimeoutMs: number;
}

/** Which half failed: opening the session (network, TLS, auth) or running the statement. */
export class SessionFailure extends Error {
  constructor(
    readonly phase: 'connect' | 'query',
    readonly error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error));
    this.name = 'SessionFailure';
  }
}

/** Shown in pg_stat_activity and the proxy's logs, so a DBA can tell these sessions apart. */
const APPLICATION_NAME = 'rdsproxy-setup connect';

/**
 * The only startup parameters sent. RDS Proxy rejects some others (`options` among them), and
 * pg would otherwise add PGOPTIONS or PGAPPNAME from the environment.
 */
export function startupParameters(user: string, database: string): Record<string, string> {
  return { user, database, application_name: APPLICATION_NAME };
}

/**
 * pg sets the TLS server name to the host it dials unless that host is an IP address, which
 * would make a tunnel's name ("localhost") win over the proxy's. Dialling the tunnel by address
 * keeps the proxy host as server name.
 */
async function dialAddress(target: ConnectTarget, via: TcpAddress | undefined): Promise<TcpAddress> {
  if (!via) return { host: target.host, port: target.port };
  if (isIP(via.host) !== 0) return via;
  return { host: (await lookup(via.host)).address, port: via.port };
}

/**
 * Opens one TLS session with full verification of the proxy host name against Node's trust
 * store (system roots plus NODE_EXTRA_CA_CERTS: RDS Proxy certificates chain to Amazon's public
 * roots, so no RDS bundle is pinned), runs one statement and closes.
 */
export async function runOverTls(request: SessionRequest): Promise<QueryResult> {
  const { default: pg } = await import('pg');
  const { target } = request;
  const dial = await dialAddress(target, request.via).catch((err: unknown) => {
    throw new SessionFailure('connect', err);
  });

  class ProxyClient extends pg.Client {
    getStartupConf(): Record<string, string> {
      return startupParameters(target.user, target.database);
    }
  }

  const client = new ProxyClient({
    host: dial.host,
    port: dial.port,
    user: target.user,
    database: target.database,
    password: request.password,
    ssl: { rejectUnauthorized: true, servername: target.host },
    connectionTimeoutMillis: request.connectTimeoutMs,
  });
  // A late socket error after a failure must not crash the process; the awaited call reports it.
  client.on('error', () => undefined);
  try {
    await client.connect().catch((err: unknown) => {
      throw new SessionFailure('connect', err);
    });
    const answer: PgResult | PgResult[] = await client.query(request.sql).catch((err: unknown) => {
      throw new SessionFailure('query', err);
    });
    // Several statements in --command give one result each; the last one is what the user asked for.
    const results: PgResult[] = Array.isArray(answer) ? answer : [answer];
    const result = results[results.length - 1]!;
    return { columns: (result.fields ?? []).map((f) => f.name), rows: result.rows as Record<string, unknown>[] };
  } finally {
    await client.end().catch(() => undefined);
  }
}
