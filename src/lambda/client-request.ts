import { isIP } from 'node:net';
import { POSTGRES_PORT } from '../config/names.js';
import { DEFAULT_CLIENT_QUERY, type ClientEvent, type ClientTarget } from './client-event.js';

/** One invocation's work: where to connect, what to run, how long to wait. */
export interface ClientRequest {
  target: ClientTarget;
  dial?: { address: string; port: number };
  sql: string;
  connectTimeoutMs: number;
}

/** The event or the function's environment does not say where to connect, or says it wrongly. */
export class InvalidClientEvent extends Error {
  override name = 'InvalidClientEvent';
}

/** Long enough for a cold proxy, short enough to report a blocked path before Lambda's own timeout. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Aurora and RDS PostgreSQL always have this database. */
const DEFAULT_DATABASE = 'postgres';

function text(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new InvalidClientEvent(`${what} must be a string.`);
  return value;
}

function port(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) {
    throw new InvalidClientEvent(`${what} must be a port number (1-65535), not ${JSON.stringify(value)}.`);
  }
  return n;
}

function required(value: string | undefined, what: string): string {
  if (value === undefined) throw new InvalidClientEvent(`No ${what}: set it in the function's environment or the event.`);
  return value;
}

function dialAddress(value: unknown): ClientRequest['dial'] {
  if (value === undefined || value === null) return undefined;
  const dial = value as { address?: unknown; port?: unknown };
  const address = text(dial.address, 'dial.address');
  if (!address || isIP(address) === 0) {
    throw new InvalidClientEvent('dial.address must be an IP address, so that the TLS server name stays the proxy host.');
  }
  return { address, port: port(dial.port, 'dial.port') ?? POSTGRES_PORT };
}

/**
 * Where the session goes: the event's fields over the function's environment (PGHOST, PGPORT,
 * PGUSER, PGDATABASE as `grant` sets them, and Lambda's AWS_REGION). PGSSLMODE is not read: the
 * function always verifies the certificate and the host name (verify-full).
 */
export function clientRequest(event: ClientEvent | null | undefined, env: NodeJS.ProcessEnv): ClientRequest {
  const e: ClientEvent = event ?? {};
  if (typeof e !== 'object') throw new InvalidClientEvent('The event must be a JSON object.');
  const sql = text(e.sql, 'sql');
  if (sql !== undefined && sql.trim() === '') throw new InvalidClientEvent('sql is empty.');
  const timeout = e.connectTimeoutMs;
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0))) {
    throw new InvalidClientEvent('connectTimeoutMs must be a positive number of milliseconds.');
  }
  return {
    target: {
      host: required(text(e.host, 'host') ?? text(env.PGHOST, 'PGHOST'), 'host (PGHOST)'),
      port: port(e.port, 'port') ?? port(env.PGPORT, 'PGPORT') ?? POSTGRES_PORT,
      user: required(text(e.user, 'user') ?? text(env.PGUSER, 'PGUSER'), 'database user (PGUSER)'),
      database: text(e.database, 'database') ?? text(env.PGDATABASE, 'PGDATABASE') ?? DEFAULT_DATABASE,
      region: required(text(e.region, 'region') ?? text(env.AWS_REGION, 'AWS_REGION'), 'region (AWS_REGION)'),
    },
    dial: dialAddress(e.dial),
    sql: sql ?? DEFAULT_CLIENT_QUERY,
    connectTimeoutMs: timeout ?? DEFAULT_CONNECT_TIMEOUT_MS,
  };
}
