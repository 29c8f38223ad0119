import type { ConnectFailureKind } from '../config/connection-failure.js';

/**
 * The contract between the CLI and the stack's function `<stack>-client`: what an invocation
 * sends and what it gets back. Plain JSON both ways.
 */

/** What the function is invoked with. Every field is optional. */
export interface ClientEvent {
  /** The SQL to run; with several statements, the last one's rows come back. Default: DEFAULT_CLIENT_QUERY. */
  sql?: string;
  /** Overrides of the function's environment (PGHOST, PGPORT, PGUSER, PGDATABASE, AWS_REGION). */
  host?: string;
  port?: number;
  user?: string;
  database?: string;
  region?: string;
  /**
   * Where the TCP connection goes when not to `host` itself, as an IP address (a test server on
   * loopback); the TLS server name and the token stay `host`'s.
   */
  dial?: { address: string; port: number };
  /** How long to wait for the session to open; capped by the time the invocation has left. */
  connectTimeoutMs?: number;
}

/** Where the session goes: the proxy host the token is signed for and TLS verifies. */
export interface ClientTarget {
  host: string;
  port: number;
  user: string;
  database: string;
  region: string;
}

/** Milliseconds, measured inside the function: signing the token, opening the session, the query. */
export interface ClientTimings {
  signMs?: number;
  connectMs?: number;
  queryMs?: number;
}

export type ClientErrorKind = ConnectFailureKind | 'InvalidEvent' | 'SignFailed' | 'QueryFailed';

export interface ClientError {
  kind: ClientErrorKind;
  /** Node's code or PostgreSQL's SQLSTATE, when there is one. */
  code?: string;
  message: string;
  /** The doctor checks that explain it (config/connection-failure.ts), for whoever reads the raw answer. */
  checks: readonly string[];
}

export interface ClientSuccess {
  ok: true;
  target: ClientTarget;
  columns: string[];
  rows: Record<string, unknown>[];
  /** True when more rows came back than the function returns (MAX_ROWS). */
  truncated: boolean;
  timings: Required<ClientTimings>;
}

export interface ClientFailure {
  ok: false;
  /** Where it stopped: reading the event and environment, signing, opening the session, or the query. */
  phase: 'event' | 'sign' | 'connect' | 'query';
  target?: ClientTarget;
  error: ClientError;
  timings: ClientTimings;
}

/** What the handler returns; never the token. */
export type ClientResult = ClientSuccess | ClientFailure;

/** Lambda answers at most 6 MB; a diagnostic query needs far fewer rows than that. */
export const MAX_ROWS = 1000;

/**
 * Who, where, on what server, whether TLS is on, and the server's clock. Behind a proxy,
 * pg_stat_ssl describes the proxy's own connection to the database (the function verifies the
 * client side's TLS itself).
 */
export const DEFAULT_CLIENT_QUERY = `select current_user as "user",
       current_database() as database,
       version() as server_version,
       coalesce((select ssl from pg_stat_ssl where pid = pg_backend_pid()), false) as ssl,
       now() as server_time`;
