import { CliError } from '../errors.js';
import type { TcpAddress } from './connect-options.js';
import type { ConnectTarget } from './resolve-target.js';

/** Where the failed session was going, for messages that say what was tried. */
export interface SessionContext {
  target: ConnectTarget;
  via?: TcpAddress;
  connectTimeoutMs: number;
}

/** DOCTOR.md's table: a message clients see, and the doctor checks that explain it. */
interface KnownServerError {
  pattern: RegExp;
  checks: string[];
  why: string;
}

const KNOWN_SERVER_ERRORS: KnownServerError[] = [
  {
    pattern: /has no credentials for the role/i,
    checks: ['client.user-matches', 'proxy.auth'],
    why: 'the proxy holds no secret for this database user (user names are case-sensitive)',
  },
  {
    pattern: /IAM authentication failed for the role/i,
    checks: ['client.connect-permission', 'client.endpoint', 'client.user-matches'],
    why: 'the token was refused: the caller may lack rds-db:connect on the proxy resource id, or the token was signed for another host, port, region or user',
  },
  {
    pattern: /requires TLS connections|IAM authentication is allowed only with SSL connections/i,
    checks: ['client.tls'],
    why: 'the proxy needs TLS for this connection',
  },
  {
    pattern: /does not have any registered credentials|Credentials couldn't be retrieved/i,
    checks: ['iam.role-reads-secret', 'iam.role-kms', 'secret.shape'],
    why: "the proxy could not read its secret (its role's permissions, the KMS key, or the secret's content)",
  },
  {
    pattern: /PAM authentication failed for user/i,
    checks: ['client.endpoint'],
    why: "the database itself refused the login: the secret's user was granted rds_iam, or the connection bypassed the proxy",
  },
  {
    pattern: /Target unavailable due to an internal error|PENDING_PROXY_CAPACITY/i,
    checks: ['proxy.subnets', 'sg.proxy-egress-secrets'],
    why: 'the proxy has no usable connection to its database yet',
  },
];

/** Node's codes for a certificate chain that does not lead to a trusted root. */
const UNTRUSTED_CERTIFICATE = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_UNTRUSTED',
  'CERT_CHAIN_TOO_LONG',
]);

const TIMEOUT = /timeout|timed out/i;

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function doctorCommand(target: ConnectTarget): string {
  return `rdsproxy-setup doctor --proxy ${target.proxyName} --user ${target.user}`;
}

function describeRoute(context: SessionContext): string {
  const { target, via } = context;
  return via ? `${target.host} via ${via.host}:${via.port}` : `${target.host}:${target.port}`;
}

function knownServerError(err: unknown, context: SessionContext): CliError | undefined {
  const message = errorMessage(err);
  const known = KNOWN_SERVER_ERRORS.find((k) => k.pattern.test(message));
  if (!known) return undefined;
  return new CliError(`The proxy refused the connection: ${message}`, {
    code: 'ConnectRefused',
    cause: err,
    hint:
      `This usually means ${known.why}. Explained by doctor check${known.checks.length > 1 ? 's' : ''} ` +
      `${known.checks.join(', ')}: run \`${doctorCommand(context.target)}\`.`,
  });
}

function tlsError(err: unknown, context: SessionContext): CliError | undefined {
  const { target } = context;
  const code = errorCode(err);
  const message = errorMessage(err);
  if (/does not support SSL connections/i.test(message)) {
    return new CliError(
      `The server at ${describeRoute(context)} does not speak TLS, so no token was sent: connect never connects without TLS.`,
      {
        code: 'TlsNotOffered',
        cause: err,
        hint: context.via
          ? `RDS Proxy always offers TLS: check that --via ${context.via.host}:${context.via.port} is a tunnel to ${target.host}:${target.port}, not another PostgreSQL server.`
          : `RDS Proxy always offers TLS: check that ${target.host} is the proxy's endpoint (doctor check client.endpoint).`,
      },
    );
  }
  if (code && UNTRUSTED_CERTIFICATE.has(code)) {
    return new CliError(
      `The TLS certificate presented for ${target.host} did not verify: ${message} (${code}).`,
      {
        code: 'TlsCertificateUntrusted',
        cause: err,
        hint:
          "RDS Proxy certificates come from ACM and chain to Amazon's public roots in the system trust store; " +
          'do not pin only the RDS CA bundle. If something in between re-signs TLS (a corporate proxy), add its CA ' +
          `with NODE_EXTRA_CA_CERTS=<file.pem>. Doctor check client.tls: \`${doctorCommand(target)}\`.`,
      },
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new CliError(`The TLS certificate is not valid for ${target.host}: ${message}`, {
      code: 'TlsCertificateWrongHost',
      cause: err,
      hint: context.via
        ? `Check that --via ${context.via.host}:${context.via.port} forwards to ${target.host}:${target.port} and not to another server.`
        : `Connect to the proxy endpoint ${target.host} itself (doctor check client.endpoint).`,
    });
  }
  if (code?.startsWith('CERT_') || code?.startsWith('ERR_TLS_') || code?.startsWith('ERR_SSL_')) {
    return new CliError(`TLS with ${describeRoute(context)} failed: ${message} (${code}).`, {
      code: 'TlsFailed',
      cause: err,
      hint: `Doctor check client.tls: \`${doctorCommand(target)}\`.`,
    });
  }
  return undefined;
}

function isHostName(host: string): boolean {
  return /[A-Za-z]/.test(host) && !host.includes(':');
}

function networkError(err: unknown, context: SessionContext): CliError | undefined {
  const { target, via } = context;
  const code = errorCode(err);
  const message = errorMessage(err);
  const reachHint = via
    ? `Check that the tunnel at --via ${via.host}:${via.port} is open and forwards to ${target.host}:${target.port}.`
    : `RDS Proxy is reachable only from inside its VPC${target.vpcId ? ` (${target.vpcId})` : ''}: run this from there, ` +
      'or open a tunnel (SSM port forwarding or SSH, see the README) and pass --via 127.0.0.1:<local port>. ' +
      `From your own client in the VPC, doctor checks sg.client-to-proxy and client.same-vpc explain it: \`${doctorCommand(target)}\`.`;
  if (code === 'ETIMEDOUT' || TIMEOUT.test(message)) {
    return new CliError(
      `Timed out after ${Math.round(context.connectTimeoutMs / 1000)} s connecting to ${describeRoute(context)}.`,
      { code: 'ConnectTimeout', cause: err, hint: reachHint },
    );
  }
  if (code === 'ECONNREFUSED') {
    return new CliError(`Nothing accepts connections at ${describeRoute(context)} (connection refused).`, {
      code: 'ConnectRefused',
      cause: err,
      hint: reachHint,
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    const name = via && isHostName(via.host) ? via.host : target.host;
    return new CliError(`Could not resolve ${name} (${code}).`, { code: 'DnsFailed', cause: err, hint: reachHint });
  }
  if (code === 'ECONNRESET' || /terminated unexpectedly/i.test(message)) {
    return new CliError(`The connection to ${describeRoute(context)} was closed before the session opened.`, {
      code: 'ConnectionClosed',
      cause: err,
      hint: `${reachHint} If it is, run \`${doctorCommand(target)}\`.`,
    });
  }
  return undefined;
}

/** Turns a failure to open the session into a message that names its cause and the next step. */
export function explainConnectFailure(err: unknown, context: SessionContext): CliError {
  return (
    tlsError(err, context) ??
    knownServerError(err, context) ??
    networkError(err, context) ??
    new CliError(`Could not open a session with ${describeRoute(context)}: ${errorMessage(err)}`, {
      code: 'ConnectFailed',
      cause: err,
      hint: `Run \`${doctorCommand(context.target)}\`.`,
    })
  );
}

/** A statement that failed inside an open session: the SQL's fault, not the path's. */
export function explainQueryFailure(err: unknown): CliError {
  const sqlState = errorCode(err);
  return new CliError(`The query failed: ${errorMessage(err)}${sqlState ? ` (SQLSTATE ${sqlState})` : ''}.`, {
    code: 'QueryFailed',
    cause: err,
    hint: 'The session through the proxy worked; fix the SQL given with --command.',
  });
}
