import { UsageError } from '../errors.js';
import * as rule from '../config/rules.js';

/** connect's own options, as commander hands them over. */
export interface RawConnectOptions {
  proxy?: string;
  user?: string;
  db?: string;
  command?: string;
  via?: string;
  printSnippet?: boolean;
  printEnv?: boolean;
}

/** Where the TCP connection goes when it does not go to the proxy host itself. */
export interface TcpAddress {
  host: string;
  port: number;
}

export type ConnectMode = 'query' | 'snippet' | 'env';

export interface ConnectOptions {
  /** An explicit proxy name; otherwise the stack's proxy. */
  proxy?: string;
  user?: string;
  database?: string;
  /** Undefined means the default "who am I" query. */
  command?: string;
  via?: TcpAddress;
  mode: ConnectMode;
}

/** "host:port" or "[ipv6]:port", port 1-65535. */
export function tcpAddress(value: string, option: string): TcpAddress {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)):(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65535) {
    throw new UsageError(
      `${option} "${value}" is not host:port, such as 127.0.0.1:5432 (the local end of an SSM or SSH tunnel to the proxy).`,
    );
  }
  return { host: (match[1] ?? match[2])!, port };
}

/** Checks every connect option before any AWS call; bad input is a UsageError (exit 2). */
export function connectOptions(raw: RawConnectOptions): ConnectOptions {
  if (raw.printSnippet && raw.printEnv) {
    throw new UsageError('--print-snippet and --print-env each print something and stop: choose one.');
  }
  if (raw.command !== undefined && raw.command.trim() === '') {
    throw new UsageError('--command is empty: give the SQL to run, or leave --command out for the default query.');
  }
  const mode: ConnectMode = raw.printSnippet ? 'snippet' : raw.printEnv ? 'env' : 'query';
  return {
    proxy: raw.proxy === undefined ? undefined : rule.proxyName(raw.proxy, '--proxy'),
    user: raw.user === undefined ? undefined : rule.databaseUser(raw.user, '--user'),
    database: raw.db === undefined ? undefined : rule.databaseName(raw.db, '--db'),
    command: raw.command,
    via: raw.via === undefined ? undefined : tcpAddress(raw.via, '--via'),
    mode,
  };
}
