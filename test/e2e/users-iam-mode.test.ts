import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeDBClustersCommand, DescribeDBProxiesCommand } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UP_DEFAULTS } from '../../src/config/defaults.js';
import { runCli } from './support/cli.js';
import { registerDataApiPostgres } from './support/data-api-postgres.js';
import { roleOf, sqlAs, type TestDatabase } from './support/database-users.js';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js';
import { startLdapPasswordCatcher, type LdapPasswordCatcher } from '../../scripts/ldap-password-catcher.mjs';
import { initPostgres, type PostgresData, type RunningPostgres } from '../../scripts/postgres.mjs';
import { useSandbox } from './support/sandbox.js';
import { stackReads } from './support/stack-reads.js';
import { createTestCa } from '../../scripts/test-ca.mjs';

const STACK = 'iam-db';
const MASTER = UP_DEFAULTS.masterUser;
const ROLE = `rdsproxy-${STACK}-us-east-1`;

interface UpDocument {
  resources: { step: string; action: string }[];
}

describe('end-to-end IAM: up --auth iam, users in IAM mode, and switching modes', () => {
  const sandbox = useSandbox({ resetEachTest: false });
  let work: string;
  let postgres: PostgresData;
  let ldap: LdapPasswordCatcher;
  let server: RunningPostgres;
  let db: TestDatabase;
  let faults: FaultProxy;

  const reads = () => stackReads(sandbox);
  const proxy = async () => (await reads().rds().send(new DescribeDBProxiesCommand({ DBProxyName: `${STACK}-proxy` }))).DBProxies![0]!;
  const cluster = async () => (await reads().rds().send(new DescribeDBClustersCommand({ DBClusterIdentifier: `${STACK}-cluster` }))).DBClusters![0]!;
  const rolePolicy = async (user: string) => {
    const out = await new IAMClient(sandbox.clientConfig).send(new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: `user-${user}` }));
    return JSON.parse(decodeURIComponent(out.PolicyDocument!)) as { Statement: { Action: string; Resource: string }[] };
  };
  /** `up` through the fault proxy, which counts its writes. */
  const up = async (...args: string[]) => {
    faults.clear();
    const result = await runCli(['up', '--name', STACK, '--json', ...args], faults.env);
    expect(result.code, result.stderr).toBe(0);
    const document = JSON.parse(result.stdout) as UpDocument;
    return {
      stderr: result.stderr,
      writes: faults.writes().map((c) => c.operation).sort(),
      updated: document.resources.filter((r) => r.action !== 'exists').map((r) => `${r.step}: ${r.action}`),
    };
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'rdsproxy-users-iam-'));
    const ca = createTestCa(work);
    postgres = initPostgres({ user: MASTER, database: UP_DEFAULTS.dbName });
    ldap = await startLdapPasswordCatcher();
    faults = await startFaultProxy(sandbox.endpoint, sandbox.env);
    const made = await runCli(['up', '--name', STACK, '--auth', 'iam', '--data-api'], sandbox.env);
    expect(made.code, made.stderr).toBe(0);
    const endpoint = (await proxy()).Endpoint!;
    server = await postgres.start({ tls: ca.issue(endpoint), ldapPort: ldap.port });
    db = { port: server.port, caFile: ca.certFile, serverName: endpoint, database: UP_DEFAULTS.dbName };
    await sqlAs(db, MASTER, 'CREATE ROLE rds_iam');
    await registerDataApiPostgres(sandbox, (await cluster()).DBClusterArn!, { port: server.port, caFile: ca.certFile });
  });
  afterAll(async () => {
    await faults?.stop();
    await server?.stop();
    await ldap?.stop();
    postgres?.remove();
    rmSync(work, { recursive: true, force: true });
  });

  it('makes the proxy with DefaultAuthScheme IAM_AUTH and the cluster with its Data API on', async () => {
    expect((await proxy()).DefaultAuthScheme).toBe('IAM_AUTH');
    expect((await cluster()).HttpEndpointEnabled).toBe(true);
  });

  it('makes no write when up runs again without --auth, or with the same --auth', async () => {
    const plain = await up();
    const same = await up('--auth', 'iam');

    expect(plain.writes).toEqual([]);
    expect(same.writes).toEqual([]);
    expect(plain.updated).toEqual([]);
    expect((await proxy()).DefaultAuthScheme).toBe('IAM_AUTH');
  });

  it('adds a user in IAM mode: in rds_iam, no secret, and the proxy role may rds-db:connect as it on the cluster resource id', async () => {
    const authBefore = (await proxy()).Auth;

    const added = await runCli(['user', 'add', 'app_iam', '--name', STACK, '--json'], sandbox.env);

    expect(added.code, added.stderr).toBe(0);
    expect(await roleOf(db, MASTER, 'app_iam')).toEqual({ rolcanlogin: true, in_rds_iam: true });
    const { DbClusterResourceId, DBClusterArn } = await cluster();
    const account = DBClusterArn!.split(':')[4];
    expect((await rolePolicy('app_iam')).Statement).toEqual([
      expect.objectContaining({ Action: 'rds-db:connect', Resource: `arn:aws:rds-db:us-east-1:${account}:dbuser:${DbClusterResourceId}/app_iam` }),
    ]);
    expect(DbClusterResourceId).toMatch(/^cluster-/);
    expect(await reads().secretNames()).not.toContain(`rdsproxy-setup/${STACK}/users/app_iam`);
    expect((await proxy()).Auth).toEqual(authBefore);
  });

  it('doctor --user app_iam passes the end-to-end IAM checks, and fails user.rds-iam once app_iam leaves rds_iam', async () => {
    const doctor = async () => {
      const result = await runCli(['doctor', '--name', STACK, '--user', 'app_iam', '--json'], sandbox.env);
      const checks = (JSON.parse(result.stdout) as { checks: { id: string; status: string; evidence: string; fix?: string }[] }).checks;
      return Object.fromEntries(checks.map((c) => [c.id, c]));
    };
    const before = await doctor();
    await sqlAs(db, MASTER, 'REVOKE rds_iam FROM app_iam');
    const after = await doctor();
    await sqlAs(db, MASTER, 'GRANT rds_iam TO app_iam');

    for (const id of ['iam.role-db-connect', 'cluster.iam-auth', 'user.rds-iam', 'proxy.auth', 'client.user-matches']) {
      expect(before[id], id).toMatchObject({ status: 'pass' });
    }
    expect(before['iam.role-db-connect']!.evidence).toContain(`dbuser:${(await cluster()).DbClusterResourceId}/app_iam`);
    expect(after['user.rds-iam']).toMatchObject({ status: 'fail', fix: expect.stringContaining('GRANT rds_iam TO "app_iam"') });
  });

  it('switches to secrets mode with one ModifyDBProxy plus the role policy change, both reported updated, and says what the user needs', async () => {
    const switched = await up('--auth', 'secrets');

    // One ModifyDBProxy and the role's policy; the stack's lease is put and deleted around them.
    expect(switched.writes).toEqual(['DeleteParameter', 'ModifyDBProxy', 'PutParameter', 'PutRolePolicy']);
    expect(switched.updated).toEqual(['role: updated', 'proxy: updated']);
    expect(switched.stderr).toContain('Database user app_iam now needs a password in a secret and REVOKE rds_iam (secrets mode)');
    expect((await proxy()).DefaultAuthScheme).toBe('NONE');
    expect((await rolePolicy('app_iam')).Statement).toEqual([expect.objectContaining({ Action: 'secretsmanager:GetSecretValue' })]);
  });

  it('switches back to IAM mode the same way, and then up makes no write', async () => {
    const switched = await up('--auth', 'iam');
    const again = await up();

    // One ModifyDBProxy and the role's policy; the stack's lease is put and deleted around them.
    expect(switched.writes).toEqual(['DeleteParameter', 'ModifyDBProxy', 'PutParameter', 'PutRolePolicy']);
    expect(switched.updated).toEqual(['role: updated', 'proxy: updated']);
    expect((await rolePolicy('app_iam')).Statement).toEqual([expect.objectContaining({ Action: 'rds-db:connect' })]);
    expect(again.writes).toEqual([]);
  });

  it('refuses an --auth that is no mode with exit 2 before any AWS call', async () => {
    const result = await runCli(['up', '--name', STACK, '--auth', 'password', '--verbose'], sandbox.env);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Error: --auth "password" is not an auth mode: use secrets or iam.');
    expect(result.stderr).not.toMatch(/ aws \w+\./);
  });
});
