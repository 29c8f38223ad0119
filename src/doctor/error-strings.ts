import type { CheckId } from './check.js';

/** An error text users see (from clients or in the proxy's logs) and the checks that explain it. */
export interface KnownError {
  message: string;
  pattern: RegExp;
  checks: CheckId[];
  /** What else it means, beyond the checks. */
  note?: string;
}

/** DOCTOR.md's table "Error strings a user sees, and the check that explains each". */
export const KNOWN_ERRORS: readonly KnownError[] = [
  {
    message: 'This RDS proxy has no credentials for the role X',
    pattern: /no credentials for the role/i,
    checks: ['client.user-matches', 'proxy.auth'],
  },
  {
    message: 'The IAM authentication failed for the role X',
    pattern: /IAM authentication failed for the role/i,
    checks: ['client.connect-permission', 'client.endpoint', 'client.user-matches'],
    note: 'a token signed for another host, port, region or user, or older than 15 minutes',
  },
  {
    message: 'This RDS Proxy requires TLS connections / IAM authentication is allowed only with SSL connections',
    pattern: /requires TLS connections|IAM authentication is allowed only with SSL/i,
    checks: ['client.tls'],
  },
  {
    message: 'self signed certificate in certificate chain / unable to get local issuer certificate',
    pattern: /self[- ]signed certificate in certificate chain|unable to get local issuer certificate/i,
    checks: ['client.tls'],
    note: "the proxy's certificate comes from ACM and chains to Amazon's public roots: trust the system store, do not pin only the RDS CA bundle",
  },
  {
    message: "Proxy does not have any registered credentials / Credentials couldn't be retrieved",
    pattern: /does not have any registered credentials|credentials couldn'?t be retrieved/i,
    checks: ['iam.role-reads-secret', 'iam.role-kms', 'secret.shape'],
  },
  {
    message: 'PAM authentication failed for user',
    pattern: /PAM authentication failed for user/i,
    checks: ['client.endpoint', 'user.rds-iam'],
    note: "the secret's database user was granted rds_iam (the proxy logs in with the password), or the client bypassed the proxy",
  },
  {
    message: 'DBProxy Target unavailable due to an internal error / PENDING_PROXY_CAPACITY',
    pattern: /Target unavailable due to an internal error|PENDING_PROXY_CAPACITY/i,
    checks: ['proxy.subnets', 'sg.proxy-egress-secrets'],
  },
  {
    message: 'connection timeout (ETIMEDOUT) from a Lambda',
    pattern: /ETIMEDOUT|connection timed? ?out/i,
    checks: ['sg.client-to-proxy', 'client.same-vpc'],
  },
];

export function knownErrorIn(line: string): KnownError | undefined {
  return KNOWN_ERRORS.find((e) => e.pattern.test(line));
}
