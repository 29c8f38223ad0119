import { describe, expect, it } from 'vitest';
import { explainConnectFailure, explainQueryFailure, type SessionContext } from '../../../src/connect/connection-errors.js';

const HOST = 'orders-proxy.proxy-abc123xyz.us-east-1.rds.amazonaws.com';
const direct: SessionContext = {
  target: { proxyName: 'orders-proxy', host: HOST, port: 5432, user: 'appadmin', database: 'orders', region: 'us-east-1', vpcId: 'vpc-0a1b2c3d' },
  connectTimeoutMs: 20_000,
};
const tunnelled: SessionContext = { ...direct, via: { host: '127.0.0.1', port: 15432 } };
const DOCTOR = '`rdsproxy-setup doctor --proxy orders-proxy --user appadmin`';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("explaining a failure to open a session through the proxy", () => {
  it.each([
    ['This RDS proxy has no credentials for the role appadmin. Check the credentials for this role and try again.', 'client.user-matches, proxy.auth'],
    ['The IAM authentication failed for the role appadmin. Check the IAM token for this role and try again.', 'client.connect-permission, client.endpoint, client.user-matches'],
    ['This RDS Proxy requires TLS connections', 'client.tls'],
    ['IAM authentication is allowed only with SSL connections.', 'client.tls'],
    ['Proxy does not have any registered credentials', 'iam.role-reads-secret, iam.role-kms, secret.shape'],
    ["Credentials couldn't be retrieved", 'iam.role-reads-secret, iam.role-kms, secret.shape'],
    ['PAM authentication failed for user "appadmin"', 'client.endpoint'],
    ['DBProxy Target unavailable due to an internal error', 'proxy.subnets, sg.proxy-egress-secrets'],
  ])('maps "%s" to doctor checks %s and suggests the doctor command', (message, checks) => {
    const error = explainConnectFailure(new Error(message), direct);

    expect(error.message).toBe(`The proxy refused the connection: ${message}`);
    expect(error.exitCode).toBe(1);
    expect(error.hint).toContain(`${checks}: run ${DOCTOR}.`);
  });

  it('says a server without TLS got no token, and suspects the tunnel', () => {
    const error = explainConnectFailure(new Error('The server does not support SSL connections'), tunnelled);

    expect(error.message).toBe(
      `The server at ${HOST} via 127.0.0.1:15432 does not speak TLS, so no token was sent: connect never connects without TLS.`,
    );
    expect(error.hint).toContain(`check that --via 127.0.0.1:15432 is a tunnel to ${HOST}:5432`);
  });

  it.each(['SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'])(
    'names a certificate that does not chain to a trusted root (%s) and advises the system store, not the RDS bundle',
    (code) => {
      const error = explainConnectFailure(withCode('unable to verify the first certificate', code), direct);

      expect(error.message).toBe(
        `The TLS certificate presented for ${HOST} did not verify: unable to verify the first certificate (${code}).`,
      );
      expect(error.hint).toContain("chain to Amazon's public roots in the system trust store");
      expect(error.hint).toContain('do not pin only the RDS CA bundle');
      expect(error.hint).toContain('NODE_EXTRA_CA_CERTS');
      expect(error.hint).toContain('client.tls');
    },
  );

  it('names a certificate issued for another host', () => {
    const error = explainConnectFailure(
      withCode("Hostname/IP does not match certificate's altnames: Host: x. is not cert's CN: y", 'ERR_TLS_CERT_ALTNAME_INVALID'),
      tunnelled,
    );

    expect(error.message).toContain(`The TLS certificate is not valid for ${HOST}`);
    expect(error.hint).toContain(`--via 127.0.0.1:15432 forwards to ${HOST}:5432`);
  });

  it('says a timeout without --via means the proxy is only reachable inside its VPC or through --via', () => {
    const error = explainConnectFailure(new Error('Connection terminated due to connection timeout'), direct);

    expect(error.message).toBe(`Timed out after 20 s connecting to ${HOST}:5432.`);
    expect(error.hint).toContain('reachable only from inside its VPC (vpc-0a1b2c3d)');
    expect(error.hint).toContain('--via 127.0.0.1:<local port>');
    expect(error.hint).toContain('sg.client-to-proxy and client.same-vpc');
  });

  it('says a timeout through --via points at the tunnel', () => {
    const error = explainConnectFailure(withCode('connect ETIMEDOUT 127.0.0.1:15432', 'ETIMEDOUT'), tunnelled);

    expect(error.message).toBe(`Timed out after 20 s connecting to ${HOST} via 127.0.0.1:15432.`);
    expect(error.hint).toContain('the tunnel at --via 127.0.0.1:15432 is open');
  });

  it('says an unresolvable proxy host is reachable only from inside the VPC', () => {
    const error = explainConnectFailure(withCode(`getaddrinfo ENOTFOUND ${HOST}`, 'ENOTFOUND'), direct);

    expect(error.message).toBe(`Could not resolve ${HOST} (ENOTFOUND).`);
    expect(error.hint).toContain('inside its VPC');
  });

  it('keeps an unknown failure and still suggests the doctor', () => {
    const error = explainConnectFailure(new Error('something odd'), direct);

    expect(error.message).toBe(`Could not open a session with ${HOST}:5432: something odd`);
    expect(error.hint).toBe(`Run ${DOCTOR}.`);
  });
});

describe('explaining a failed statement', () => {
  it('blames the SQL, with its SQLSTATE, not the path', () => {
    const error = explainQueryFailure(withCode('relation "missing" does not exist', '42P01'));

    expect(error.message).toBe('The query failed: relation "missing" does not exist (SQLSTATE 42P01).');
    expect(error.hint).toContain('fix the SQL given with --command');
    expect(error.exitCode).toBe(1);
  });
});
