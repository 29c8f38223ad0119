import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeDBClustersCommand, DescribeDBProxiesCommand } from '@aws-sdk/client-rds';
import { DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UP_DEFAULTS } from '../../src/config/defaults.js';
import { runCli } from './support/cli.js';
import { registerDataApiPostgres } from './support/data-api-postgres.js';
import { roleOf, sqlAs, type TestDatabase } from './support/database-users.js';
import { startLdapPasswordCatcher, type LdapPasswordCatcher } from '../../scripts/ldap-password-catcher.mjs';
import { initPostgres, type PostgresData, type RunningPostgres } from '../../scripts/postgres.mjs';
import { useSandbox } from './support/sandbox.js';
import { loggedCalls, stackReads } from './support/stack-reads.js';
import { createTestCa } from '../../scripts/test-ca.mjs';

const STACK = 'team-db';
const MASTER = UP_DEFAULTS.masterUser;
const ROLE = `rdsproxy-${STACK}-us-east-1`;

describe('user add, list and remove on a stack made by up, against a real PostgreSQL through the Data API', () => {
  const sandbox = useSandbox({ resetEachTest: false });
  let work: string;
  let postgres: PostgresData;
  let ldap: LdapPasswordCatcher;
  let server: RunningPostgres;
  let db: TestDatabase;
  let caFile: string;
  let proxyEndpoint: string;

  const cli = (...args: string[]) => runCli([...args, '--name', STACK], { ...sandbox.env, NODE_EXTRA_CA_CERTS: caFile });
  const reads = () => stackReads(sandbox);
  const proxy = async () => (await reads().rds().send(new DescribeDBProxiesCommand({ DBProxyName: `${STACK}-proxy` }))).DBProxies![0]!;
  const cluster = async () => (await reads().rds().send(new DescribeDBClustersCommand({ DBClusterIdentifier: `${STACK}-cluster` }))).DBClusters![0]!;
  const rolePolicy = async (user: string) =>
    new IAMClient(sandbox.clientConfig)
      .send(new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: `user-${user}` }))
      .then((out) => JSON.parse(decodeURIComponent(out.PolicyDocument!)) as { Statement: { Action: string; Resource: string }[] })
      .catch((err: Error) => err.name);
  const secretOf = (user: string) =>
    reads()
      .secrets()
      .send(new DescribeSecretCommand({ SecretId: `rdsproxy-setup/${STACK}/users/${user}` }))
      .catch((err: Error) => err.name);

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'rdsproxy-users-'));
    const ca = createTestCa(work);
    caFile = ca.certFile;
    postgres = initPostgres({ user: MASTER, database: UP_DEFAULTS.dbName });
    ldap = await startLdapPasswordCatcher();
    const up = await runCli(['up', '--name', STACK, '--yes'], sandbox.env);
    expect(up.code, up.stderr).toBe(0);
    proxyEndpoint = (await proxy()).Endpoint!;
    server = await postgres.start({ tls: ca.issue(proxyEndpoint), ldapPort: ldap.port });
    db = { port: server.port, caFile, serverName: proxyEndpoint, database: UP_DEFAULTS.dbName };
    // Aurora's rds_iam role, and a table the users' privileges are about.
    await sqlAs(db, MASTER, 'CREATE ROLE rds_iam');
    await sqlAs(db, MASTER, 'CREATE TABLE items (n int)');
    await registerDataApiPostgres(sandbox, (await cluster()).DBClusterArn!, { port: server.port, caFile });
  });
  afterAll(async () => {
    await server?.stop();
    await ldap?.stop();
    postgres?.remove();
    rmSync(work, { recursive: true, force: true });
  });

  it('adds app_rw in secrets mode: its secret, auth entry and role policy exist, and connect --user app_rw works through --via', async () => {
    expect((await cluster()).HttpEndpointEnabled).toBe(false);

    const added = await cli('user', 'add', 'app_rw');

    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toContain(`The Data API (HTTP endpoint) of cluster ${STACK}-cluster was off and is now on`);
    expect((await cluster()).HttpEndpointEnabled).toBe(true);
    const secret = await reads().secrets().send(new GetSecretValueCommand({ SecretId: `rdsproxy-setup/${STACK}/users/app_rw` }));
    const value = JSON.parse(secret.SecretString!) as { username: string; password: string };
    expect(value.username).toBe('app_rw');
    expect(value.password.length).toBeGreaterThanOrEqual(32);
    expect((await proxy()).Auth).toContainEqual(expect.objectContaining({ AuthScheme: 'SECRETS', IAMAuth: 'REQUIRED', SecretArn: secret.ARN }));
    const policy = await rolePolicy('app_rw');
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: `${secret.ARN!.slice(0, -6)}??????` })],
    });
    expect(await roleOf(db, MASTER, 'app_rw')).toEqual({ rolcanlogin: true, in_rds_iam: false });

    const connected = await cli('connect', '--user', 'app_rw', '--via', `127.0.0.1:${server.port}`, '--command', 'INSERT INTO items VALUES (1) RETURNING current_user');

    expect(connected.stderr).not.toContain('Error');
    expect(connected.code).toBe(0);
    expect(connected.stdout).toContain('app_rw');
  });

  it('adds a --read-only user that can read but cannot INSERT: permission denied', async () => {
    const added = await cli('user', 'add', 'app_ro', '--read-only');
    expect(added.code, added.stderr).toBe(0);

    const read = await cli('connect', '--user', 'app_ro', '--via', `127.0.0.1:${server.port}`, '--command', 'SELECT count(*) AS n FROM items');
    const write = await cli('connect', '--user', 'app_ro', '--via', `127.0.0.1:${server.port}`, '--command', 'INSERT INTO items VALUES (2)');

    expect(read.code, read.stderr).toBe(0);
    expect(write.code).toBe(1);
    expect(write.stderr).toContain('permission denied for table items');
  });

  it('lists the users with their access and what each still needs', async () => {
    const listed = await cli('user', 'list', '--json');

    expect(listed.code, listed.stderr).toBe(0);
    const { mode, users } = JSON.parse(listed.stdout) as { mode: string; users: { user: string; access: string; needs: string[] }[] };
    expect(mode).toBe('secrets');
    expect(users.map((u) => [u.user, u.access, u.needs])).toEqual([
      ['app_ro', 'read-only', []],
      ['app_rw', 'read-write', []],
    ]);
  });

  it('doctor --user app_rw passes user.rds-iam; granted rds_iam (the trap), it fails with the fix', async () => {
    const doctor = async () => {
      const result = await cli('doctor', '--user', 'app_rw', '--json');
      return (JSON.parse(result.stdout) as { checks: { id: string; status: string; evidence: string; fix?: string }[] }).checks;
    };
    const before = await doctor();
    await sqlAs(db, MASTER, 'GRANT rds_iam TO app_rw');
    const after = await doctor();
    await sqlAs(db, MASTER, 'REVOKE rds_iam FROM app_rw');

    expect(before.find((c) => c.id === 'user.rds-iam')).toMatchObject({ status: 'pass' });
    expect(before.find((c) => c.id === 'client.user-matches')).toMatchObject({ status: 'pass' });
    expect(after.find((c) => c.id === 'user.rds-iam')).toMatchObject({
      status: 'fail',
      evidence: expect.stringContaining('PAM authentication failed for user app_rw'),
      fix: expect.stringContaining('REVOKE rds_iam FROM "app_rw"'),
    });
  });

  it('refuses to add a user that exists (exit 1), and a role it did not make, leaving both as they are', async () => {
    await sqlAs(db, MASTER, 'CREATE ROLE hand_made LOGIN');
    const versionsOf = async (user: string) => ((await secretOf(user)) as { VersionIdsToStages?: unknown }).VersionIdsToStages;
    const existing = { versions: await versionsOf('app_rw'), role: await roleOf(db, MASTER, 'app_rw') };

    const again = await cli('user', 'add', 'app_rw');
    const foreign = await cli('user', 'add', 'hand_made');

    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`Error: Database user app_rw already exists in stack ${STACK}.`);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain('Error: A database role hand_made already exists and was not made by rdsproxy-setup');
    expect(await secretOf('hand_made')).toBe('ResourceNotFoundException');
    expect(await roleOf(db, MASTER, 'hand_made')).toEqual({ rolcanlogin: true, in_rds_iam: false });
    expect(existing.versions).toBeDefined();
    expect({ versions: await versionsOf('app_rw'), role: await roleOf(db, MASTER, 'app_rw') }).toEqual(existing);
  });

  it.each([
    ['App_User', 'lowercase letters'],
    ['app-user', 'lowercase letters'],
    ['rdsadmin', 'reserved'],
    ['rds_app', 'reserved'],
    ['pg_app', 'reserved'],
    ['postgres', 'reserved'],
    ['select', 'reserved word'],
  ])('refuses %s with exit 2 before any AWS call', async (name, why) => {
    const result = await cli('user', 'add', name, '--verbose');

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Error: <db-user> "${name}"`);
    expect(result.stderr).toContain(why);
    expect(loggedCalls(result.stderr)).toEqual([]);
  });

  it('refuses to remove a user that owns objects, naming them, and removes it with --reassign-to', async () => {
    expect((await cli('user', 'add', 'app_owner')).code).toBe(0);
    await sqlAs(db, MASTER, 'CREATE TABLE owned_by_app (n int)');
    await sqlAs(db, MASTER, 'ALTER TABLE owned_by_app OWNER TO app_owner');

    const refused = await cli('user', 'remove', 'app_owner');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Error: Database user app_owner owns 1 objects (relation owned_by_app); nothing was removed.');
    expect(refused.stderr).toContain(`--reassign-to ${MASTER}`);
    expect(await roleOf(db, MASTER, 'app_owner')).toBeDefined();

    const removed = await cli('user', 'remove', 'app_owner', '--reassign-to', MASTER);

    expect(removed.code, removed.stderr).toBe(0);
    expect(await roleOf(db, MASTER, 'app_owner')).toBeUndefined();
    expect(await sqlAs(db, MASTER, "SELECT tableowner FROM pg_tables WHERE tablename = 'owned_by_app'")).toEqual([{ tableowner: MASTER }]);
  });

  it('removes app_rw: no role, secret, auth entry or policy statement is left, and --close-data-api turns the Data API off', async () => {
    const secretArn = ((await secretOf('app_rw')) as { ARN: string }).ARN;

    const removed = await cli('user', 'remove', 'app_rw', '--close-data-api');

    expect(removed.code, removed.stderr).toBe(0);
    expect(await roleOf(db, MASTER, 'app_rw')).toBeUndefined();
    expect(await secretOf('app_rw')).toBe('ResourceNotFoundException');
    expect((await proxy()).Auth!.map((a) => a.SecretArn)).not.toContain(secretArn);
    expect(await rolePolicy('app_rw')).toBe('NoSuchEntityException');
    expect((await cluster()).HttpEndpointEnabled).toBe(false);
    expect(removed.stderr).toContain(`The Data API (HTTP endpoint) of cluster ${STACK}-cluster is off again (--close-data-api).`);
  });

  it('says a user is not there (exit 1), and refuses --reassign-to the user being removed (exit 2)', async () => {
    const missing = await cli('user', 'remove', 'nobody_here');
    const itself = await cli('user', 'remove', 'app_ro', '--reassign-to', 'app_ro');

    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`Error: Stack ${STACK} has no database user nobody_here.`);
    expect(itself.code).toBe(2);
    expect(itself.stderr).toContain('Error: --reassign-to "app_ro" is the user being removed');
  });

  it("deletes the users' secrets at teardown, recoverable for 7 days like the master's", async () => {
    const torn = await cli('teardown', '--yes', '--skip-final-snapshot', '--json');

    expect(torn.code, torn.stderr).toBe(0);
    const { kept } = JSON.parse(torn.stdout) as { kept: { kind: string; id: string }[] };
    expect(kept).toContainEqual({ kind: 'secret', id: `rdsproxy-setup/${STACK}/users/app_ro` });
    const scheduled = await secretOf('app_ro');
    expect((scheduled as { DeletedDate?: Date }).DeletedDate).toBeInstanceOf(Date);
  });
});
