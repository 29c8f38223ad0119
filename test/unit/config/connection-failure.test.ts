import { describe, expect, it } from 'vitest';
import { classifyConnectFailure, FAILURE_CHECKS, type ConnectFailureKind } from '../../../src/config/connection-failure.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('classifying a failure to open a session through a proxy', () => {
  it.each<[string, Error, ConnectFailureKind]>([
    ['a server that offers no TLS', new Error('The server does not support SSL connections'), 'TlsNotOffered'],
    ['a chain to an unknown root', withCode('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'), 'TlsCertificateUntrusted'],
    ['a certificate for another host', withCode("Hostname/IP does not match certificate's altnames", 'ERR_TLS_CERT_ALTNAME_INVALID'), 'TlsCertificateWrongHost'],
    ['an expired certificate', withCode('certificate has expired', 'CERT_HAS_EXPIRED'), 'TlsFailed'],
    ['a refused IAM token', new Error('The IAM authentication failed for the role appadmin.'), 'IamAuthFailed'],
    ['a user the proxy has no secret for', new Error('This RDS proxy has no credentials for the role bob.'), 'NoCredentialsForUser'],
    ['a connection timeout', new Error('Connection terminated due to connection timeout'), 'ConnectTimeout'],
    ['a refused TCP connection', withCode('connect ECONNREFUSED 10.0.1.5:5432', 'ECONNREFUSED'), 'ConnectRefused'],
    ['a name that does not resolve', withCode('getaddrinfo ENOTFOUND orders-proxy.proxy-x.rds.amazonaws.com', 'ENOTFOUND'), 'DnsFailed'],
    ['a connection closed early', withCode('read ECONNRESET', 'ECONNRESET'), 'ConnectionClosed'],
    ['anything else', new Error('something odd'), 'ConnectFailed'],
  ])('tells %s apart', (_, error, kind) => {
    expect(classifyConnectFailure(error).kind).toBe(kind);
  });

  it('keeps the code and message of the error it classified', () => {
    const failure = classifyConnectFailure(withCode('unable to get local issuer certificate', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'));

    expect(failure).toEqual({
      kind: 'TlsCertificateUntrusted',
      code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      message: 'unable to get local issuer certificate',
    });
  });

  it('classifies the JSON form of an error (as the function returns it) like the error itself', () => {
    const error = withCode('connect ETIMEDOUT 10.0.1.5:5432', 'ETIMEDOUT');

    expect(classifyConnectFailure(JSON.parse(JSON.stringify({ code: error.code, message: error.message })))).toEqual(
      classifyConnectFailure(error),
    );
  });

  it('names the checks DOCTOR.md gives for a timeout from a Lambda, and for a refused token', () => {
    expect(FAILURE_CHECKS.ConnectTimeout).toEqual(['sg.client-to-proxy', 'client.same-vpc']);
    expect(FAILURE_CHECKS.IamAuthFailed).toEqual(['client.connect-permission', 'client.endpoint', 'client.user-matches']);
  });
});
