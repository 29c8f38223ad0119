import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeDBProxiesCommand, RDSClient } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UP_DEFAULTS } from '../../src/config/defaults.js';
import { runCli } from './support/cli.js';
import { useSandbox } from './support/sandbox.js';
import { useStandInDatabase } from './support/stand-in-database.js';
import { createTestCa, type TestCa } from '../../scripts/test-ca.mjs';

describe('connect --name to a stack made by up', () => {
  const sandbox = useSandbox();
  let work: string;
  let ca: TestCa;
  const database = useStandInDatabase();

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'rdsproxy-connect-stack-'));
    ca = createTestCa(work);
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it("runs the query as the stack's master user on its database, through --via", async () => {
    const up = await runCli(['up', '--name', 'orders-dev', '--yes'], sandbox.env);
    expect(up.code).toBe(0);
    const rds = new RDSClient(sandbox.clientConfig);
    const proxy = (await rds.send(new DescribeDBProxiesCommand({ DBProxyName: 'orders-dev-proxy' }))).DBProxies![0]!;
    rds.destroy();
    const server = await database.start({ tls: ca.issue(proxy.Endpoint!), ldapPort: database.ldap.port });

    const result = await runCli(['connect', '--name', 'orders-dev', '--via', `127.0.0.1:${server.port}`], {
      ...sandbox.env,
      NODE_EXTRA_CA_CERTS: ca.certFile,
    });

    expect(result.stderr).not.toContain('Error');
    expect(result.code).toBe(0);
    const [header, , row] = result.stdout.split('\n').map((line) => line.split(' | ').map((c) => c.trim()));
    expect(header).toEqual(['user', 'database', 'server_version', 'ssl']);
    expect(row?.slice(0, 2)).toEqual([UP_DEFAULTS.masterUser, UP_DEFAULTS.dbName]);
    expect(row?.[3]).toBe('true');
    expect(new URL(`https://${database.ldap.binds[0]!.password}`).host).toBe(`${proxy.Endpoint}:5432`);
  });

  it('stops with exit 1 and suggests up when the stack has no proxy', async () => {
    const result = await runCli(['connect', '--name', 'never-made', '--via', '127.0.0.1:1'], sandbox.env);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: RDS proxy never-made-proxy was not found in us-east-1.');
    expect(result.stderr).toContain('rdsproxy-setup up --name never-made');
  });

  it('rejects bad input with exit 2 before any AWS call', async () => {
    const result = await runCli(['connect', '--name', 'orders-dev', '--via', 'localhost', '--verbose'], sandbox.env);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Error: --via "localhost" is not host:port');
    expect(result.stderr).not.toMatch(/ aws \w+\./);
  });
});
