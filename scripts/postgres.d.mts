import type { ServerCertificate } from './test-ca.mjs';

/** The role and database the server is made with (the cluster's master user and database). */
export interface PostgresLogin {
  user: string;
  database: string;
}

/**
 * How the server is started: TLS enforced (plain connections rejected by pg_hba.conf) with the
 * given certificate and passwords checked by an LDAP server on ldapPort; or no TLS at all.
 */
export type ServerMode = { tls: ServerCertificate; ldapPort: number } | { tls: false };

export interface RunningPostgres {
  port: number;
  stop(): Promise<void>;
}

export interface PostgresData {
  start(mode: ServerMode): Promise<RunningPostgres>;
  remove(): void;
}

/**
 * The directory holding PostgreSQL's server binaries, or undefined: PATH, /usr/local/bin, then
 * Debian's /usr/lib/postgresql/<version>/bin, newest first.
 */
export function findPostgresBinDir(): string | undefined;

/**
 * initdb once into a temporary directory (role = login.user, database = login.database); each
 * start() runs a server on a free loopback port in the given mode, on the same data.
 */
export function initPostgres(login: PostgresLogin): PostgresData;
