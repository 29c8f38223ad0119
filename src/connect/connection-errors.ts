import { classifyConnectFailure, errorDetails, FAILURE_CHECKS, refusalReason, type ConnectFailure } from '../config/connection-failure.js';
import { CliError } from '../errors.js';
import type { TcpAddress } from './connect-options.js';
import type { ConnectTarget } from './resolve-target.js';

/** Where the failed session was going, for messages that say what was tried. */
export interface SessionContext {
  target: ConnectTarget;
  via?: TcpAddress;
  connectTimeoutMs: number;
}

function doctorCommand(target: ConnectTarget): string {
  return `rdsproxy-setup doctor --proxy ${target.proxyName} --user ${target.user}`;
}

function describeRoute(context: SessionContext): string {
  const { target, via } = context;
  return via ? `${target.host} via ${via.host}:${via.port}` : `${target.host}:${target.port}`;
}

function checkList(checks: readonly string[]): string {
  return checks.length > 1 ? `checks ${checks.join(', ')}` : `check ${checks[0]}`;
}

function proxyRefusal(err: unknown, failure: ConnectFailure, context: SessionContext): CliError | undefined {
  const why = refusalReason(failure.kind);
  if (!why) return undefined;
  return new CliError(`The proxy refused the connection: ${failure.message}`, {
    code: 'ConnectRefused',
    cause: err,
    hint:
      `This usually means ${why}. Explained by doctor ${checkList(FAILURE_CHECKS[failure.kind])}: ` +
      `run \`${doctorCommand(context.target)}\`.`,
  });
}

function tlsError(err: unknown, failure: ConnectFailure, context: SessionContext): CliError | undefined {
  const { target } = context;
  const { code, message } = failure;
  switch (failure.kind) {
    case 'TlsNotOffered':
      return new CliError(
        `The server at ${describeRoute(context)} does not speak TLS, so no token was sent: connect never connects without TLS.`,
        {
          code: 'TlsNotOffered',
          cause: err,
          hint: context.via
            ? `RDS Proxy always offers TLS: check that --via ${context.via.host}:${context.via.port} is a tunnel to ${target.host}:${target.port}, not another PostgreSQL server.`
            : `RDS Proxy always offers TLS: check that ${target.host} is the proxy's endpoint (doctor ${checkList(FAILURE_CHECKS.TlsNotOffered)}).`,
        },
      );
    case 'TlsCertificateUntrusted':
      return new CliError(
        `The TLS certificate presented for ${target.host} did not verify: ${message} (${code}).`,
        {
          code: 'TlsCertificateUntrusted',
          cause: err,
          hint:
            "RDS Proxy certificates come from ACM and chain to Amazon's public roots in the system trust store; " +
            'do not pin only the RDS CA bundle. If something in between re-signs TLS (a corporate proxy), add its CA ' +
            `with NODE_EXTRA_CA_CERTS=<file.pem>. Doctor ${checkList(FAILURE_CHECKS.TlsCertificateUntrusted)}: \`${doctorCommand(target)}\`.`,
        },
      );
    case 'TlsCertificateWrongHost':
      return new CliError(`The TLS certificate is not valid for ${target.host}: ${message}`, {
        code: 'TlsCertificateWrongHost',
        cause: err,
        hint: context.via
          ? `Check that --via ${context.via.host}:${context.via.port} forwards to ${target.host}:${target.port} and not to another server.`
          : `Connect to the proxy endpoint ${target.host} itself (doctor ${checkList(FAILURE_CHECKS.TlsCertificateWrongHost)}).`,
      });
    case 'TlsFailed':
      return new CliError(`TLS with ${describeRoute(context)} failed: ${message} (${code}).`, {
        code: 'TlsFailed',
        cause: err,
        hint: `Doctor ${checkList(FAILURE_CHECKS.TlsFailed)}: \`${doctorCommand(target)}\`.`,
      });
    default:
      return undefined;
  }
}

function isHostName(host: string): boolean {
  return /[A-Za-z]/.test(host) && !host.includes(':');
}

function networkError(err: unknown, failure: ConnectFailure, context: SessionContext): CliError | undefined {
  const { target, via } = context;
  const { code } = failure;
  const reachHint = via
    ? `Check that the tunnel at --via ${via.host}:${via.port} is open and forwards to ${target.host}:${target.port}.`
    : `RDS Proxy is reachable only from inside its VPC${target.vpcId ? ` (${target.vpcId})` : ''}: run this from there, ` +
      'or open a tunnel (SSM port forwarding or SSH, see the README) and pass --via 127.0.0.1:<local port>. ' +
      `From your own client in the VPC, doctor checks ${FAILURE_CHECKS[failure.kind].join(' and ')} explain it: \`${doctorCommand(target)}\`.`;
  switch (failure.kind) {
    case 'ConnectTimeout':
      return new CliError(
        `Timed out after ${Math.round(context.connectTimeoutMs / 1000)} s connecting to ${describeRoute(context)}.`,
        { code: 'ConnectTimeout', cause: err, hint: reachHint },
      );
    case 'ConnectRefused':
      return new CliError(`Nothing accepts connections at ${describeRoute(context)} (connection refused).`, {
        code: 'ConnectRefused',
        cause: err,
        hint: reachHint,
      });
    case 'DnsFailed': {
      const name = via && isHostName(via.host) ? via.host : target.host;
      return new CliError(`Could not resolve ${name} (${code}).`, { code: 'DnsFailed', cause: err, hint: reachHint });
    }
    case 'ConnectionClosed':
      return new CliError(`The connection to ${describeRoute(context)} was closed before the session opened.`, {
        code: 'ConnectionClosed',
        cause: err,
        hint: `${reachHint} If it is, run \`${doctorCommand(target)}\`.`,
      });
    default:
      return undefined;
  }
}

/** Turns a failure to open the session into a message that names its cause and the next step. */
export function explainConnectFailure(err: unknown, context: SessionContext): CliError {
  const failure = classifyConnectFailure(err);
  return (
    tlsError(err, failure, context) ??
    proxyRefusal(err, failure, context) ??
    networkError(err, failure, context) ??
    new CliError(`Could not open a session with ${describeRoute(context)}: ${failure.message}`, {
      code: 'ConnectFailed',
      cause: err,
      hint: `Run \`${doctorCommand(context.target)}\`.`,
    })
  );
}

/** A statement that failed inside an open session: the SQL's fault, not the path's. */
export function explainQueryFailure(err: unknown): CliError {
  const { code: sqlState, message } = errorDetails(err);
  return new CliError(`The query failed: ${message}${sqlState ? ` (SQLSTATE ${sqlState})` : ''}.`, {
    code: 'QueryFailed',
    cause: err,
    hint: 'The session through the proxy worked; fix the SQL given with --command.',
  });
}
