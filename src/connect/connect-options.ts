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
  fromLambda?: boolean;
}

/** Where the TCP connection goes when it does not go to the proxy host itself. */
export interface TcpAddress {
  host: string;
  port: number;
}

/** `lambda`: the stack's own function connects from inside the VPC (`--from-lambda`). */
export type ConnectMode = 'query' | 'snippet' | 'env' | 'lambda';

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
  if (raw.fromLambda && (raw.printSnippet || raw.printEnv)) {
    throw new UsageError('--from-lambda runs the query in the stack\'s function: leave out --print-snippet and --print-env.');
  }
  if (raw.fromLambda && raw.proxy !== undefined) {
    throw new UsageError("--from-lambda connects with the stack's own function <stack>-client through the stack's proxy: leave out --proxy.");
  }
  if (raw.command !== undefined && raw.command.trim() === '') {
    throw new UsageError('--command is empty: give the SQL to run, or leave --command out for the default query.');
  }
  const mode: ConnectMode = raw.fromLambda ? 'lambda' : raw.printSnippet ? 'snippet' : raw.printEnv ? 'env' : 'query';
  return {
    proxy: raw.proxy === undefined ? undefined : rule.proxyName(raw.proxy, '--proxy'),
    user: raw.user === undefined ? undefined : rule.databaseUser(raw.user, '--user'),
    database: raw.db === undefined ? undefined : rule.databaseName(raw.db, '--db'),
    command: raw.command,
    via: raw.via === undefined ? undefined : tcpAddress(raw.via, '--via'),
    mode,
  };
}
