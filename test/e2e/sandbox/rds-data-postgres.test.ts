import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BeginTransactionCommand,
  CommitTransactionCommand,
  ExecuteStatementCommand,
  RDSDataClient,
  RDSDataServiceException,
  RollbackTransactionCommand,
  type ExecuteStatementCommandInput,
} from '@aws-sdk/client-rds-data';
import {
  CreateDBClusterCommand,
  DescribeDBClustersCommand,
  DisableHttpEndpointCommand,
  EnableHttpEndpointCommand,
  ModifyDBClusterCommand,
} from '@aws-sdk/client-rds';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDataApiPostgres } from '../support/data-api-postgres.js';
import { startLdapPasswordCatcher, type LdapPasswordCatcher } from '../../../scripts/ldap-password-catcher.mjs';
import { initPostgres, type PostgresData, type RunningPostgres } from '../../../scripts/postgres.mjs';
import { useSandbox } from '../support/sandbox.js';
import { createTestCa } from '../../../scripts/test-ca.mjs';
import { failureOf, rdsFixtures } from './rds-fixtures.js';

const MASTER = { username: 'postgres', password: 'master-password-in-the-secret-1' };

/** The error a Data API call failed with: name, HTTP status, message. */
async function dataApiFailure(call: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await call;
  } catch (err) {
    if (err instanceof RDSDataServiceException) return { name: err.name, status: err.$metadata.httpStatusCode, message: err.message };
    throw err;
  }
  throw new Error('the call succeeded');
}

describe('sandbox: the RDS Data API runs its SQL on a real PostgreSQL', () => {
  const sandbox = useSandbox();
  const { rds } = rdsFixtures(sandbox);
  let work: string;
  let postgres: PostgresData;
  let ldap: LdapPasswordCatcher;
  let server: RunningPostgres;
  let caFile: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'rdsproxy-data-api-'));
    const ca = createTestCa(work);
    caFile = ca.certFile;
    postgres = initPostgres({ user: MASTER.username, database: 'app' });
    ldap = await startLdapPasswordCatcher();
    server = await postgres.start({ tls: ca.issue('cluster.sandbox.test'), ldapPort: ldap.port });
  });
  afterAll(async () => {
    await server?.stop();
    await ldap?.stop();
    postgres?.remove();
    rmSync(work, { recursive: true, force: true });
  });

  const data = () => new RDSDataClient({ ...sandbox.clientConfig, maxAttempts: 1 });

  /** An Aurora PostgreSQL cluster (Serverless v2: engine mode provisioned) with the master secret. */
  async function cluster(id: string, options: { httpEndpoint?: boolean; register?: boolean } = {}) {
    const { DBCluster } = await rds().send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: id,
        Engine: 'aurora-postgresql',
        EngineMode: 'provisioned',
        MasterUsername: MASTER.username,
        MasterUserPassword: MASTER.password,
        DatabaseName: 'app',
        ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 2 },
        EnableHttpEndpoint: options.httpEndpoint ?? true,
      }),
    );
    const { ARN } = await new SecretsManagerClient(sandbox.clientConfig).send(
      new CreateSecretCommand({ Name: `${id}/master`, SecretString: JSON.stringify(MASTER) }),
    );
    if (options.register ?? true) await registerDataApiPostgres(sandbox, DBCluster!.DBClusterArn!, { port: server.port, caFile });
    return { resourceArn: DBCluster!.DBClusterArn!, secretArn: ARN!, database: 'app' };
  }

  const httpEndpointOf = async (id: string) =>
    (await rds().send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0]!.HttpEndpointEnabled;

  const run = (target: Pick<ExecuteStatementCommandInput, 'resourceArn' | 'secretArn' | 'database'>, sql: string, more: Partial<ExecuteStatementCommandInput> = {}) =>
    data().send(new ExecuteStatementCommand({ ...target, sql, ...more }));

  it('turns the HTTP endpoint on at CreateDBCluster for an Aurora PostgreSQL Serverless v2 cluster, and leaves it off unless asked', async () => {
    await cluster('with-endpoint');
    await cluster('without-endpoint', { httpEndpoint: false, register: false });

    expect(await httpEndpointOf('with-endpoint')).toBe(true);
    expect(await httpEndpointOf('without-endpoint')).toBe(false);
  });

  it('turns the HTTP endpoint on and off with EnableHttpEndpoint and DisableHttpEndpoint, answering the new state', async () => {
    const { resourceArn } = await cluster('switched', { httpEndpoint: false, register: false });

    const enabled = await rds().send(new EnableHttpEndpointCommand({ ResourceArn: resourceArn }));
    expect(enabled).toMatchObject({ ResourceArn: resourceArn, HttpEndpointEnabled: true });
    expect(await httpEndpointOf('switched')).toBe(true);

    const disabled = await rds().send(new DisableHttpEndpointCommand({ ResourceArn: resourceArn }));
    expect(disabled).toMatchObject({ ResourceArn: resourceArn, HttpEndpointEnabled: false });
    expect(await httpEndpointOf('switched')).toBe(false);
  });

  it('answers ResourceNotFoundFault (404) for EnableHttpEndpoint on a cluster that does not exist', async () => {
    const failure = await failureOf(
      rds().send(new EnableHttpEndpointCommand({ ResourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:missing' })),
    );

    expect(failure).toMatchObject({ name: 'ResourceNotFoundFault', status: 404 });
  });

  it("leaves a Serverless v2 cluster's HTTP endpoint as it is on ModifyDBCluster's EnableHttpEndpoint (a Serverless v1 setting)", async () => {
    await cluster('modified');

    await rds().send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'modified', EnableHttpEndpoint: false, ApplyImmediately: true }));

    expect(await httpEndpointOf('modified')).toBe(true);
  });

  it("runs a query as the secret's user with named parameters and answers records of Fields and the column metadata", async () => {
    const target = await cluster('query');
    const binds = ldap.binds.length;

    const answer = await run(target, 'SELECT current_user AS who, :n::int + 1 AS next, :flag::boolean AS flag, NULL::text AS nothing, 1.5::float8 AS ratio', {
      parameters: [
        { name: 'n', value: { longValue: 41 } },
        { name: 'flag', value: { booleanValue: true } },
      ],
      includeResultMetadata: true,
    });

    expect(answer.records).toEqual([
      [{ stringValue: MASTER.username }, { longValue: 42 }, { booleanValue: true }, { isNull: true }, { doubleValue: 1.5 }],
    ]);
    expect(answer.columnMetadata?.map((c) => [c.name, c.typeName])).toEqual([
      ['who', 'name'],
      ['next', 'int4'],
      ['flag', 'bool'],
      ['nothing', 'text'],
      ['ratio', 'float8'],
    ]);
    expect(answer.numberOfRecordsUpdated).toBe(0);
    expect(ldap.binds.slice(binds)).toEqual([{ dn: `cn=${MASTER.username},dc=rdsproxy-test`, password: MASTER.password }]);
  });

  it('binds a parameter as a value, never as SQL', async () => {
    const target = await cluster('injection');
    await run(target, 'CREATE TABLE injection_probe (name text)');

    await run(target, 'INSERT INTO injection_probe VALUES (:name)', {
      parameters: [{ name: 'name', value: { stringValue: "x'); DROP TABLE injection_probe; --" } }],
    });

    const answer = await run(target, 'SELECT name FROM injection_probe');
    expect(answer.records).toEqual([[{ stringValue: "x'); DROP TABLE injection_probe; --" }]]);
  });

  it('reports the rows a DML statement changed, and no records for a statement without rows', async () => {
    const target = await cluster('dml');
    const created = await run(target, 'CREATE TABLE dml_items (n int)');
    await run(target, 'INSERT INTO dml_items VALUES (1), (2), (3)');

    const updated = await run(target, 'UPDATE dml_items SET n = n + 10 WHERE n > 1');

    expect(created.records).toBeUndefined();
    expect(created.numberOfRecordsUpdated).toBe(0);
    expect(updated.numberOfRecordsUpdated).toBe(2);
  });

  it("answers DatabaseErrorException with the database's message and SQLState when PostgreSQL refuses the statement", async () => {
    const target = await cluster('refused');

    const failure = await dataApiFailure(run(target, 'SELECT * FROM no_such_table'));

    expect(failure).toEqual({
      name: 'DatabaseErrorException',
      status: 400,
      message: 'ERROR: relation "no_such_table" does not exist; SQLState: 42P01',
    });
  });

  it('answers HttpEndpointNotEnabledException for a cluster whose HTTP endpoint is off', async () => {
    const target = await cluster('closed', { httpEndpoint: false });

    const failure = await dataApiFailure(run(target, 'SELECT 1'));

    expect(failure).toEqual({
      name: 'HttpEndpointNotEnabledException',
      status: 400,
      message: `HttpEndpoint is not enabled for resource ${target.resourceArn}`,
    });
  });

  it('answers DatabaseNotFoundException (404) for a cluster with its endpoint on but no PostgreSQL registered', async () => {
    const target = await cluster('unregistered', { register: false });

    const failure = await dataApiFailure(run(target, 'SELECT 1'));

    expect(failure).toMatchObject({ name: 'DatabaseNotFoundException', status: 404, message: expect.stringContaining('no PostgreSQL is registered') });
  });

  it('answers SecretsErrorException for a secret that does not exist', async () => {
    const target = await cluster('no-secret');

    const failure = await dataApiFailure(
      run({ ...target, secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:missing-AbCdEf' }, 'SELECT 1'),
    );

    expect(failure).toMatchObject({ name: 'SecretsErrorException', status: 400 });
  });

  it('keeps the statements of a transaction invisible to others until CommitTransaction', async () => {
    const target = await cluster('commit');
    await run(target, 'CREATE TABLE committed_items (n int)');
    const { transactionId } = await data().send(new BeginTransactionCommand(target));

    await run(target, 'INSERT INTO committed_items VALUES (1)', { transactionId });
    const before = await run(target, 'SELECT count(*)::int FROM committed_items');
    const committed = await data().send(new CommitTransactionCommand({ ...target, transactionId }));
    const after = await run(target, 'SELECT count(*)::int FROM committed_items');

    expect(before.records).toEqual([[{ longValue: 0 }]]);
    expect(committed.transactionStatus).toBe('Transaction Committed');
    expect(after.records).toEqual([[{ longValue: 1 }]]);
  });

  it('discards the statements of a transaction on RollbackTransaction', async () => {
    const target = await cluster('rollback');
    await run(target, 'CREATE TABLE rolled_back_items (n int)');
    const { transactionId } = await data().send(new BeginTransactionCommand(target));
    await run(target, 'INSERT INTO rolled_back_items VALUES (1)', { transactionId });

    const rolledBack = await data().send(new RollbackTransactionCommand({ ...target, transactionId }));

    expect(rolledBack.transactionStatus).toBe('Rollback Complete');
    expect((await run(target, 'SELECT count(*)::int FROM rolled_back_items')).records).toEqual([[{ longValue: 0 }]]);
  });

  it('ends a transaction whose statement failed: its changes are gone and its id is no longer found', async () => {
    const target = await cluster('failed-transaction');
    await run(target, 'CREATE TABLE failed_items (n int)');
    const { transactionId } = await data().send(new BeginTransactionCommand(target));
    await run(target, 'INSERT INTO failed_items VALUES (1)', { transactionId });
    await dataApiFailure(run(target, 'SELECT * FROM no_such_table', { transactionId }));

    const failure = await dataApiFailure(data().send(new CommitTransactionCommand({ ...target, transactionId })));

    expect(failure).toMatchObject({ name: 'TransactionNotFoundException', status: 404 });
    expect((await run(target, 'SELECT count(*)::int FROM failed_items')).records).toEqual([[{ longValue: 0 }]]);
  });
});
