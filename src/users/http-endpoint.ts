import { DisableHttpEndpointCommand, EnableHttpEndpointCommand } from '@aws-sdk/client-rds';
import { aws, isErrorNamed } from '../aws/errors.js';
import { retryTransient } from '../waiters/retry.js';
import { Database } from './data-api.js';
import type { UserContext } from './user-context.js';
import type { UserStack } from './user-stack.js';

/**
 * The cluster's HTTP endpoint is the Data API's way in: anyone allowed `rds-data:*` and the
 * secret can run SQL through it. User commands turn it on only when it is off, and say so; with
 * `--close-data-api` they turn it off again when done.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_EnableHttpEndpoint.html
 */
export interface DataApiSession {
  database: Database;
  /** True when this command turned the endpoint on. */
  opened: boolean;
}

export async function openDataApi(ctx: UserContext, stack: UserStack): Promise<DataApiSession> {
  const { cluster } = stack;
  let opened = false;
  if (!cluster.httpEndpoint) {
    const rds = await ctx.clients.rds();
    await aws(`turning on the Data API (HTTP endpoint) of Aurora cluster ${cluster.id}`, () =>
      rds.send(new EnableHttpEndpointCommand({ ResourceArn: cluster.arn })),
    );
    opened = true;
  }
  const database = new Database(await ctx.clients.rdsData(), {
    resourceArn: cluster.arn,
    secretArn: stack.masterSecretArn,
    database: cluster.database,
    clusterId: cluster.id,
  });
  if (opened) {
    // A cluster answers the Data API a little after EnableHttpEndpoint returns.
    await retryTransient(() => database.query('reaching the database through the Data API', 'SELECT 1 AS ready'), {
      ...ctx.timing.retry,
      isTransient: (err) => isErrorNamed(err, 'HttpEndpointNotEnabled'),
      signal: ctx.signal,
      onRetry: () => ctx.progress({ kind: 'retrying', what: `the Data API of ${cluster.id}`, because: 'its HTTP endpoint is still being turned on' }),
    });
  }
  return { database, opened };
}

export async function closeDataApi(ctx: UserContext, stack: UserStack): Promise<void> {
  const rds = await ctx.clients.rds();
  await aws(`turning off the Data API (HTTP endpoint) of Aurora cluster ${stack.cluster.id}`, () =>
    rds.send(new DisableHttpEndpointCommand({ ResourceArn: stack.cluster.arn })),
  );
}
