import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_ZIP, deployZip, type DeployedZip } from './support/lambda-runtime.js';
import { startLdapPasswordCatcher, type LdapPasswordCatcher } from '../../scripts/ldap-password-catcher.mjs';
import { initPostgres, type PostgresData, type RunningPostgres } from '../../scripts/postgres.mjs';
import { createTestCa, type TestCa } from '../../scripts/test-ca.mjs';

const PROXY_HOST = 'orders-proxy.proxy-abc123xyz.us-east-1.rds.amazonaws.com';
const LOGIN = { user: 'appadmin', database: 'orders' };
/** What Lambda gives the function: its region and its execution role's temporary credentials. */
const LAMBDA_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'ASIAFUNCTIONROLEKEY1',
  AWS_SECRET_ACCESS_KEY: 'function-role-secret',
  AWS_SESSION_TOKEN: 'function-role-session',
  AWS_LAMBDA_FUNCTION_NAME: 'orders-client',
};
/** What `grant` writes into the function's environment. */
const GRANTED_ENV = { PGHOST: PROXY_HOST, PGPORT: '5432', PGUSER: LOGIN.user, PGDATABASE: LOGIN.database, PGSSLMODE: 'verify-full' };

interface Answer {
  ok: boolean;
  phase?: string;
  columns?: string[];
  rows?: Record<string, unknown>[];
  error?: { kind: string; code?: string; message: string; checks: string[] };
  timings: { signMs?: number; connectMs?: number; queryMs?: number };
}

describe('the packaged client function (dist/lambda/client.zip), run as Lambda runs it, against PostgreSQL with TLS', () => {
  let work: string;
  let ca: TestCa;
  let postgres: PostgresData;
  let ldap: LdapPasswordCatcher;
  let server: RunningPostgres | undefined;
  let fn: DeployedZip;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'rdsproxy-lambda-package-'));
    ca = createTestCa(work);
    postgres = initPostgres(LOGIN);
    ldap = await startLdapPasswordCatcher();
    fn = deployZip(CLIENT_ZIP, 'index.handler');
  });
  beforeEach(() => {
    ldap.binds.length = 0;
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });
  afterAll(async () => {
    fn?.remove();
    await ldap?.stop();
    postgres?.remove();
    rmSync(work, { recursive: true, force: true });
  });

  /** The server stands in for the proxy: its certificate names the proxy host, and the function dials it on loopback. */
  const startProxyStandIn = async (certificateHost = PROXY_HOST) => {
    server = await postgres.start({ tls: ca.issue(certificateHost), ldapPort: ldap.port });
    return server.port;
  };
  const trustingTestCa = () => ({ ...LAMBDA_ENV, ...GRANTED_ENV, NODE_EXTRA_CA_CERTS: ca.certFile });
  const invoke = async (event: Record<string, unknown>, env: Record<string, string>) => {
    const invocation = await fn.invoke(event, { env });
    expect(invocation.functionError).toBeUndefined();
    return { answer: invocation.payload as Answer, text: JSON.stringify(invocation.payload) };
  };

  it('runs the default query and returns who, where, which server, TLS, the server time and three timings', async () => {
    const port = await startProxyStandIn();

    const { answer } = await invoke({ dial: { address: '127.0.0.1', port } }, trustingTestCa());

    expect(answer.ok).toBe(true);
    expect(answer.columns).toEqual(['user', 'database', 'server_version', 'ssl', 'server_time']);
    const row = answer.rows![0]!;
    expect(row).toMatchObject({ user: 'appadmin', database: 'orders', ssl: true });
    expect(row.server_version).toMatch(/^PostgreSQL \d+\.\d+/);
    expect(Math.abs(Date.parse(row.server_time as string) - Date.now())).toBeLessThan(60_000);
    for (const step of ['signMs', 'connectMs', 'queryMs'] as const) expect(answer.timings[step]).toBeGreaterThanOrEqual(0);
  });

  it('sends, over TLS, an IAM token signed with its role for the proxy host, port 5432, the user and region, and never returns it', async () => {
    const port = await startProxyStandIn();

    const { text } = await invoke({ dial: { address: '127.0.0.1', port } }, trustingTestCa());

    expect(ldap.binds).toHaveLength(1);
    const { dn, password } = ldap.binds[0]!;
    expect(dn).toBe('cn=appadmin,dc=rdsproxy-test');
    const token = new URL(`https://${password}`);
    expect(token.host).toBe(`${PROXY_HOST}:5432`);
    expect(token.searchParams.get('Action')).toBe('connect');
    expect(token.searchParams.get('DBUser')).toBe('appadmin');
    expect(token.searchParams.get('X-Amz-Credential')).toMatch(/^ASIAFUNCTIONROLEKEY1\/\d{8}\/us-east-1\/rds-db\/aws4_request$/);
    expect(token.searchParams.get('X-Amz-Security-Token')).toBe('function-role-session');
    expect(text).not.toContain(token.searchParams.get('X-Amz-Signature')!);
    expect(text).not.toContain('X-Amz-');
  });

  it('runs the SQL the event gives', async () => {
    const port = await startProxyStandIn();

    const { answer } = await invoke({ dial: { address: '127.0.0.1', port }, sql: 'select 41 + 1 as answer' }, trustingTestCa());

    expect(answer).toMatchObject({ ok: true, columns: ['answer'], rows: [{ answer: 42 }] });
  });

  it('answers a certificate that does not chain to a trusted root as TlsCertificateUntrusted (client.tls), sending no token', async () => {
    const port = await startProxyStandIn();

    const { answer } = await invoke({ dial: { address: '127.0.0.1', port } }, { ...LAMBDA_ENV, ...GRANTED_ENV });

    expect(answer).toMatchObject({ ok: false, phase: 'connect', error: { kind: 'TlsCertificateUntrusted', checks: ['client.tls'] } });
    expect(answer.timings.connectMs).toBeUndefined();
    expect(ldap.binds).toHaveLength(0);
  });

  it('answers a certificate for another host as TlsCertificateWrongHost (client.endpoint), sending no token', async () => {
    const port = await startProxyStandIn('orders-db.cluster-abc123xyz.us-east-1.rds.amazonaws.com');

    const { answer } = await invoke({ dial: { address: '127.0.0.1', port } }, trustingTestCa());

    expect(answer).toMatchObject({
      ok: false,
      phase: 'connect',
      error: { kind: 'TlsCertificateWrongHost', code: 'ERR_TLS_CERT_ALTNAME_INVALID', checks: ['client.endpoint'] },
    });
    expect(ldap.binds).toHaveLength(0);
  });

  it('answers a server without TLS as TlsNotOffered (client.endpoint), sending no token', async () => {
    server = await postgres.start({ tls: false });

    const { answer } = await invoke({ dial: { address: '127.0.0.1', port: server.port } }, trustingTestCa());

    expect(answer).toMatchObject({ ok: false, phase: 'connect', error: { kind: 'TlsNotOffered', checks: ['client.endpoint'] } });
    expect(ldap.binds).toHaveLength(0);
  });

  it('answers a failed statement as QueryFailed with its SQLSTATE, after the session opened', async () => {
    const port = await startProxyStandIn();

    const { answer } = await invoke({ dial: { address: '127.0.0.1', port }, sql: 'select * from no_such_table' }, trustingTestCa());

    expect(answer).toMatchObject({ ok: false, phase: 'query', error: { kind: 'QueryFailed', code: '42P01', checks: [] } });
    expect(answer.error!.message).toContain('no_such_table');
    expect(answer.timings.connectMs).toBeGreaterThanOrEqual(0);
  });
});
