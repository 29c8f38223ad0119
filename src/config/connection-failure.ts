/**
 * Why a client could not open a session with a proxy, told from the error Node or pg gave. One
 * classification for `connect` (on this machine) and the stack's function (inside the VPC), so
 * that both name the same doctor checks. Plain data: the function returns it as JSON.
 */

/** A refusal by the proxy itself: DOCTOR.md's table of messages clients see. */
export type ProxyRefusalKind =
  | 'NoCredentialsForUser'
  | 'IamAuthFailed'
  | 'TlsRequired'
  | 'SecretUnreadable'
  | 'DatabaseRefusedLogin'
  | 'TargetUnavailable';

export type ConnectFailureKind =
  | 'TlsNotOffered'
  | 'TlsCertificateUntrusted'
  | 'TlsCertificateWrongHost'
  | 'TlsFailed'
  | ProxyRefusalKind
  | 'ConnectTimeout'
  | 'ConnectRefused'
  | 'DnsFailed'
  | 'ConnectionClosed'
  | 'ConnectFailed';

export interface ConnectFailure {
  kind: ConnectFailureKind;
  /** Node's code (ECONNREFUSED, SELF_SIGNED_CERT_IN_CHAIN…) or PostgreSQL's SQLSTATE, when there is one. */
  code?: string;
  message: string;
}

const REACH_CHECKS = ['sg.client-to-proxy', 'client.same-vpc'] as const;

/** The doctor checks (DOCTOR.md) that explain each failure, most likely first. */
export const FAILURE_CHECKS: Readonly<Record<ConnectFailureKind, readonly string[]>> = {
  TlsNotOffered: ['client.endpoint'],
  TlsCertificateUntrusted: ['client.tls'],
  TlsCertificateWrongHost: ['client.endpoint'],
  TlsFailed: ['client.tls'],
  NoCredentialsForUser: ['client.user-matches', 'proxy.auth'],
  IamAuthFailed: ['client.connect-permission', 'client.endpoint', 'client.user-matches'],
  TlsRequired: ['client.tls'],
  SecretUnreadable: ['iam.role-reads-secret', 'iam.role-kms', 'secret.shape'],
  DatabaseRefusedLogin: ['client.endpoint'],
  TargetUnavailable: ['proxy.subnets', 'sg.proxy-egress-secrets'],
  ConnectTimeout: REACH_CHECKS,
  ConnectRefused: REACH_CHECKS,
  DnsFailed: REACH_CHECKS,
  ConnectionClosed: REACH_CHECKS,
  ConnectFailed: [],
};

interface ProxyRefusal {
  kind: ProxyRefusalKind;
  pattern: RegExp;
  /** What it usually means, for the hint. */
  why: string;
}

const PROXY_REFUSALS: readonly ProxyRefusal[] = [
  {
    kind: 'NoCredentialsForUser',
    pattern: /has no credentials for the role/i,
    why: 'the proxy holds no secret for this database user (user names are case-sensitive)',
  },
  {
    kind: 'IamAuthFailed',
    pattern: /IAM authentication failed for the role/i,
    why: 'the token was refused: the caller may lack rds-db:connect on the proxy resource id, or the token was signed for another host, port, region or user',
  },
  {
    kind: 'TlsRequired',
    pattern: /requires TLS connections|IAM authentication is allowed only with SSL connections/i,
    why: 'the proxy needs TLS for this connection',
  },
  {
    kind: 'SecretUnreadable',
    pattern: /does not have any registered credentials|Credentials couldn't be retrieved/i,
    why: "the proxy could not read its secret (its role's permissions, the KMS key, or the secret's content)",
  },
  {
    kind: 'DatabaseRefusedLogin',
    pattern: /PAM authentication failed for user/i,
    why: "the database itself refused the login: the secret's user was granted rds_iam, or the connection bypassed the proxy",
  },
  {
    kind: 'TargetUnavailable',
    pattern: /Target unavailable due to an internal error|PENDING_PROXY_CAPACITY/i,
    why: 'the proxy has no usable connection to its database yet',
  },
];

/** What a refusal by the proxy usually means. */
export function refusalReason(kind: ConnectFailureKind): string | undefined {
  return PROXY_REFUSALS.find((r) => r.kind === kind)?.why;
}

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

/** An error's code (Node's, or PostgreSQL's SQLSTATE) and message; also for its JSON form. */
export function errorDetails(err: unknown): { code?: string; message: string } {
  const fields = (err ?? {}) as { code?: unknown; message?: unknown };
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  const message = typeof fields.message === 'string' ? fields.message : String(err);
  return { ...(code ? { code } : {}), message };
}

function tlsKind(code: string | undefined, message: string): ConnectFailureKind | undefined {
  if (/does not support SSL connections/i.test(message)) return 'TlsNotOffered';
  if (code && UNTRUSTED_CERTIFICATE.has(code)) return 'TlsCertificateUntrusted';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'TlsCertificateWrongHost';
  if (code?.startsWith('CERT_') || code?.startsWith('ERR_TLS_') || code?.startsWith('ERR_SSL_')) return 'TlsFailed';
  return undefined;
}

function networkKind(code: string | undefined, message: string): ConnectFailureKind | undefined {
  if (code === 'ETIMEDOUT' || TIMEOUT.test(message)) return 'ConnectTimeout';
  if (code === 'ECONNREFUSED') return 'ConnectRefused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'DnsFailed';
  if (code === 'ECONNRESET' || /terminated unexpectedly/i.test(message)) return 'ConnectionClosed';
  return undefined;
}

/**
 * Classifies a failure to open a session (network, TLS, or the proxy's refusal). Takes an Error
 * or its JSON form (`{ code, message }`), so that a failure the function returned classifies
 * the same.
 */
export function classifyConnectFailure(err: unknown): ConnectFailure {
  const { code, message } = errorDetails(err);
  const kind =
    tlsKind(code, message) ??
    PROXY_REFUSALS.find((r) => r.pattern.test(message))?.kind ??
    networkKind(code, message) ??
    'ConnectFailed';
  return { kind, ...(code ? { code } : {}), message };
}
