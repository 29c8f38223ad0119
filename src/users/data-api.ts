import {
  BeginTransactionCommand,
  CommitTransactionCommand,
  ExecuteStatementCommand,
  RollbackTransactionCommand,
  type Field,
  type RDSDataClient,
  type SqlParameter,
} from '@aws-sdk/client-rds-data';
import { isErrorNamed, wrapAwsError } from '../aws/errors.js';
import { CliError } from '../errors.js';

/** A bind parameter's value: the Data API's Field kinds this engine uses. */
export type SqlValue = string | number | boolean | null;
export type Row = Record<string, unknown>;

/** Where the SQL runs: the cluster, the secret it signs in with (the master's), the database. */
export interface DataApiTarget {
  resourceArn: string;
  secretArn: string;
  database: string;
  /** The cluster's id, for messages. */
  clusterId: string;
}

/** The database refused the statement: its own words, SQLState included. */
const DATABASE_ERRORS = ['DatabaseErrorException', 'BadRequestException'];

function parameters(values: Readonly<Record<string, SqlValue>>): SqlParameter[] {
  return Object.entries(values).map(([name, value]): SqlParameter => {
    if (value === null) return { name, value: { isNull: true } };
    if (typeof value === 'boolean') return { name, value: { booleanValue: value } };
    if (typeof value === 'number') return { name, value: Number.isInteger(value) ? { longValue: value } : { doubleValue: value } };
    return { name, value: { stringValue: value } };
  });
}

function valueOf(field: Field): unknown {
  if (field.isNull) return null;
  return field.stringValue ?? field.longValue ?? field.booleanValue ?? field.doubleValue ?? field.blobValue ?? field.arrayValue;
}

/** SQL through the RDS Data API: no network path to the database is needed, only `rds-data:*` and the secret. */
export class Database {
  constructor(
    private readonly client: RDSDataClient,
    readonly target: DataApiTarget,
  ) {}

  private failure(doing: string, err: unknown): CliError {
    if (isErrorNamed(err, 'HttpEndpointNotEnabledException')) {
      return new CliError(`${doing}: the Data API (HTTP endpoint) of cluster ${this.target.clusterId} is off.`, {
        hint: `Turn it on with \`aws rds enable-http-endpoint --resource-arn ${this.target.resourceArn}\`, or run \`rdsproxy-setup up --data-api\` for a stack of this tool.`,
        source: 'aws',
        code: 'HttpEndpointNotEnabled',
        cause: err,
      });
    }
    if (isErrorNamed(err, ...DATABASE_ERRORS)) {
      return new CliError(`${doing}: the database refused it: ${(err as Error).message}`, { source: 'aws', code: 'DatabaseError', cause: err });
    }
    return wrapAwsError(doing, err);
  }

  /** Rows of a query, by column name; parameters are bound as `:name`, never spliced into the text. */
  async query(doing: string, sql: string, values: Readonly<Record<string, SqlValue>> = {}, transactionId?: string): Promise<Row[]> {
    const { target } = this;
    try {
      const out = await this.client.send(
        new ExecuteStatementCommand({
          resourceArn: target.resourceArn,
          secretArn: target.secretArn,
          database: target.database,
          sql,
          parameters: parameters(values),
          includeResultMetadata: true,
          transactionId,
        }),
      );
      const names = (out.columnMetadata ?? []).map((c) => c.label ?? c.name ?? '');
      return (out.records ?? []).map((record) => Object.fromEntries(record.map((field, i) => [names[i] ?? String(i), valueOf(field)])));
    } catch (err) {
      throw this.failure(doing, err);
    }
  }

  /**
   * Runs the statements of `work` in one transaction: all of them or, on any failure, none. A
   * statement that fails ends the transaction on the Data API's side already, so the rollback's
   * own "not found" is expected then.
   */
  async transaction<T>(doing: string, work: (run: (sql: string, values?: Readonly<Record<string, SqlValue>>) => Promise<Row[]>) => Promise<T>): Promise<T> {
    const { target } = this;
    let transactionId: string | undefined;
    try {
      ({ transactionId } = await this.client.send(
        new BeginTransactionCommand({ resourceArn: target.resourceArn, secretArn: target.secretArn, database: target.database }),
      ));
    } catch (err) {
      throw this.failure(doing, err);
    }
    const ids = { resourceArn: target.resourceArn, secretArn: target.secretArn, transactionId };
    try {
      const result = await work((sql, values) => this.query(doing, sql, values, transactionId));
      await this.client.send(new CommitTransactionCommand(ids));
      return result;
    } catch (err) {
      try {
        await this.client.send(new RollbackTransactionCommand(ids));
      } catch (rollbackErr) {
        if (!isErrorNamed(rollbackErr, 'TransactionNotFoundException', 'NotFoundException')) {
          throw new CliError(`${doing}: it failed, and so did its rollback: ${(rollbackErr as Error).message}`, { cause: err });
        }
      }
      throw err instanceof CliError ? err : this.failure(doing, err);
    }
  }
}
