import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { startLdapPasswordCatcher, type LdapPasswordCatcher } from '../../scripts/ldap-password-catcher.mjs';
import { initPostgres, type PostgresData, type RunningPostgres } from '../../scripts/postgres.mjs';
import { createProxyWithCluster } from './support/proxy-fixture.js';
import { useSandbox } from './support/sandbox.js';
import { createTestCa, type TestCa } from '../../scripts/test-ca.mjs';

const FIXTURE = { proxyName: 'orders-proxy', clusterId: 'orders-db', masterUser: 'appadmin', databaseName: 'orders' };

/** Splits a psql-style table into its header cells and row cells. */
function parseTable(stdout: string): { header: string[]; rows: string[][] } {
  const lines = stdout.trim().split('\n');
  const cells = (line: string) => line.split(' | ').map((c) => c.trim());
  return { header: cells(lines[0]!), rows: lines.slice(2, -1).map(cells) };
}

describe('connect through a proxy to a real PostgreSQL server that enforces TLS', () => {
  const sandbox = useSandbox();
  let work: string;
  let ca: TestCa;
  let postgres: PostgresData;
  let ldap: LdapPasswordCatcher;
  let server: RunningPostgres | undefined;
  let endpoint: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'rdsproxy-connect-'));
    ca = createTestCa(work);
    postgres = initPostgres({ user: FIXTURE.masterUser, database: FIXTURE.databaseName });
  });
  beforeAll(async () => {
    ldap = await startLdapPasswordCatcher();
  });
  beforeEach(async () => {
    ldap.binds.length = 0;
    endpoint = await createProxyWithCluster(sandbox, FIXTURE);
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });
  afterAll(async () => {
    await ldap?.stop();
    postgres?.remove();
    rmSync(work, { recursive: true, force: true });
  });

  const startTlsServer = async () => {
    server = await postgres.start({ tls: ca.issue(endpoint), ldapPort: ldap.port });
    return server.port;
  };
  const trustingTestCa = () => ({ ...sandbox.env, NODE_EXTRA_CA_CERTS: ca.certFile });

  it('runs the default query through the tunnel and shows the user, database, server version and TLS', async () => {
    const port = await startTlsServer();

    const result = await runCli(['connect', '--proxy', FIXTURE.proxyName, '--via', `127.0.0.1:${port}`], trustingTestCa());

    expect(result.stderr).not.toContain('Error');
    expect(result.code).toBe(0);
    const table = parseTable(result.stdout);
    expect(table.header).toEqual(['user', 'database', 'server_version', 'ssl']);
    expect(table.rows).toHaveLength(1);
    const [user, database, version, ssl] = table.rows[0]!;
    expect(user).toBe('appadmin');
    expect(database).toBe('orders');
    expect(version).toMatch(/^PostgreSQL \d+\.\d+/);
    expect(ssl).toBe('true');
  });

  it('sends, over TLS, a fresh IAM token signed for the proxy host, port 5432 and the user as the password', async () => {
    const port = await startTlsServer();

    const result = await runCli(['connect', '--proxy', FIXTURE.proxyName, '--via', `127.0.0.1:${port}`], trustingTestCa());

    expect(result.code).toBe(0);
    expect(ldap.binds).toHaveLength(1);
    const { dn, password } = ldap.binds[0]!;
    expect(dn).toBe('cn=appadmin,dc=rdsproxy-test');
    const token = new URL(`https://${password}`);
    expect(token.host).toBe(`${endpoint}:5432`);
    expect(token.searchParams.get('Action')).toBe('connect');
    expect(token.searchParams.get('DBUser')).toBe('appadmin');
    expect(token.searchParams.get('X-Amz-Credential')).toMatch(/^testing\/\d{8}\/us-east-1\/rds-db\/aws4_request$/);
    expect(token.searchParams.get('X-Amz-Expires')).toBe('900');
  });

  it('prints the rows as JSON with --json', async () => {
    const port = await startTlsServer();

    const result = await runCli(
      ['connect', '--proxy', FIXTURE.proxyName, '--via', `127.0.0.1:${port}`, '--command', 'select 41 + 1 as answer', '--json'],
      trustingTestCa(),
    );

    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(document).toMatchObject({
      proxy: FIXTURE.proxyName,
      endpoint,
      port: 5432,
      user: 'appadmin',
      database: 'orders',
      via: `127.0.0.1:${port}`,
      columns: ['answer'],
      rows: [{ answer: 42 }],
    });
  });

  it('fails with exit 1 and names certificate verification when the test CA is not trusted, sending no token', async () => {
    const port = await startTlsServer();

    const result = await runCli(['connect', '--proxy', FIXTURE.proxyName, '--via', `127.0.0.1:${port}`], sandbox.env);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Error: The TLS certificate presented for ${endpoint} did not verify`);
    expect(result.stderr).toContain('NODE_EXTRA_CA_CERTS');
    expect(result.stdout).toBe('');
    expect(ldap.binds).toHaveLength(0);
  });

  it('fails with exit 1 and says the server does not speak TLS when it offers none', async () => {
    server = await postgres.start({ tls: false });

    const result = await runCli(
      ['connect', '--proxy', FIXTURE.proxyName, '--via', `127.0.0.1:${server.port}`],
      trustingTestCa(),
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Error: The server at ${endpoint} via 127.0.0.1:${server.port} does not speak TLS`);
    expect(result.stderr).toContain('no token was sent');
  });

  it('fails with exit 1 and points at the tunnel when nothing listens at --via', async () => {
    const port = await startTlsServer();
    await server!.stop();
    server = undefined;

    const result = await runCli(['connect', '--proxy', FIXTURE.proxyName, '--via', `127.0.0.1:${port}`], trustingTestCa());

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Error: Nothing accepts connections at ${endpoint} via 127.0.0.1:${port}`);
    expect(result.stderr).toContain(`Check that the tunnel at --via 127.0.0.1:${port} is open`);
  });

  it('is checked against a server whose pg_hba.conf rejects connections without TLS', async () => {
    const port = await startTlsServer();
    const plain = new pg.Client({ host: '127.0.0.1', port, user: 'appadmin', database: 'orders', ssl: false });

    await expect(plain.connect()).rejects.toThrow(/pg_hba.conf rejects connection .* no encryption/);
  });

  it('calls RDS only, and nothing else in AWS, on the way to a session', async () => {
    const port = await startTlsServer();

    const result = await runCli(
      ['connect', '--proxy', FIXTURE.proxyName, '--via', `127.0.0.1:${port}`, '--verbose'],
      trustingTestCa(),
    );

    expect(result.code).toBe(0);
    const calls = result.stderr.split('\n').filter((l) => / aws \w+\./.test(l));
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((l) => / aws rds\./.test(l))).toBe(true);
  });

  it('never prints the token, in any mode', async () => {
    const port = await startTlsServer();
    const base = ['connect', '--proxy', FIXTURE.proxyName, '--via', `127.0.0.1:${port}`];
    const modes = [[], ['--json'], ['--verbose'], ['--verbose', '--json'], ['--print-snippet'], ['--print-env']];

    const results = await Promise.all(modes.map((mode) => runCli([...base, ...mode], trustingTestCa())));

    expect(results.map((r) => r.code)).toEqual(modes.map(() => 0));
    expect(ldap.binds.length).toBe(4);
    for (const { stdout, stderr } of results) {
      expect(stdout + stderr).not.toContain('X-Amz-Signature');
      for (const { password } of ldap.binds) expect(stdout + stderr).not.toContain(password);
    }
  });
});
