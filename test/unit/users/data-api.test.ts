import {
  BeginTransactionCommand,
  CommitTransactionCommand,
  DatabaseErrorException,
  ExecuteStatementCommand,
  HttpEndpointNotEnabledException,
  RDSDataClient,
  RollbackTransactionCommand,
  TransactionNotFoundException,
} from '@aws-sdk/client-rds-data';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../../src/users/data-api.js';

const data = mockClient(RDSDataClient);
const TARGET = {
  resourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:orders-dev-cluster',
  secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rdsproxy-setup/orders-dev/master-AbCdEf',
  database: 'app',
  clusterId: 'orders-dev-cluster',
};
const database = () => new Database(new RDSDataClient({ region: 'us-east-1' }), TARGET);
const failure = (err: unknown) => err as Error & { hint?: string; code?: string };

describe('SQL through the Data API', () => {
  beforeEach(() => data.reset());

  it('binds values as named parameters and gives rows by column name', async () => {
    data.on(ExecuteStatementCommand).resolves({
      columnMetadata: [{ name: 'name', label: 'name' }, { name: 'in_rds_iam', label: 'in_rds_iam' }],
      records: [[{ stringValue: 'app_rw' }, { booleanValue: false }]],
    });

    const rows = await database().query('looking', 'SELECT :name', { name: 'app_rw', n: 3, gone: null });

    expect(rows).toEqual([{ name: 'app_rw', in_rds_iam: false }]);
    expect(data.commandCalls(ExecuteStatementCommand)[0]!.args[0].input).toMatchObject({
      resourceArn: TARGET.resourceArn,
      secretArn: TARGET.secretArn,
      database: 'app',
      sql: 'SELECT :name',
      parameters: [
        { name: 'name', value: { stringValue: 'app_rw' } },
        { name: 'n', value: { longValue: 3 } },
        { name: 'gone', value: { isNull: true } },
      ],
    });
  });

  it('commits a transaction whose statements all ran', async () => {
    data.on(BeginTransactionCommand).resolves({ transactionId: 'tx-1' });
    data.on(ExecuteStatementCommand).resolves({});
    data.on(CommitTransactionCommand).resolves({ transactionStatus: 'Transaction Committed' });

    await database().transaction('creating', async (run) => {
      await run('CREATE ROLE "a" LOGIN');
    });

    expect(data.commandCalls(ExecuteStatementCommand)[0]!.args[0].input.transactionId).toBe('tx-1');
    expect(data.commandCalls(CommitTransactionCommand)).toHaveLength(1);
    expect(data.commandCalls(RollbackTransactionCommand)).toHaveLength(0);
  });

  it("rolls back when a statement fails, takes the Data API's 'transaction not found' for done, and reports the database's words", async () => {
    data.on(BeginTransactionCommand).resolves({ transactionId: 'tx-2' });
    data.on(ExecuteStatementCommand).rejects(new DatabaseErrorException({ message: 'ERROR: role "a" already exists; SQLState: 42710', $metadata: {} }));
    data.on(RollbackTransactionCommand).rejects(new TransactionNotFoundException({ message: 'Transaction tx-2 is not found', $metadata: {} }));

    const err = failure(await database().transaction('creating database user a', (run) => run('CREATE ROLE "a"')).catch((e: unknown) => e));

    expect(err.message).toBe('creating database user a: the database refused it: ERROR: role "a" already exists; SQLState: 42710');
    expect(err.code).toBe('DatabaseError');
    expect(data.commandCalls(RollbackTransactionCommand)[0]!.args[0].input.transactionId).toBe('tx-2');
    expect(data.commandCalls(CommitTransactionCommand)).toHaveLength(0);
  });

  it('says the HTTP endpoint is off, with the command that turns it on', async () => {
    data.on(ExecuteStatementCommand).rejects(new HttpEndpointNotEnabledException({ message: 'HttpEndpoint is not enabled', $metadata: {} }));

    const err = failure(await database().query('looking', 'SELECT 1').catch((e: unknown) => e));

    expect(err.message).toBe('looking: the Data API (HTTP endpoint) of cluster orders-dev-cluster is off.');
    expect(err.hint).toContain(`aws rds enable-http-endpoint --resource-arn ${TARGET.resourceArn}`);
  });
});
