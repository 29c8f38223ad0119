import {
  CreateDBInstanceCommand,
  DeleteDBInstanceCommand,
  type DBInstance,
} from '@aws-sdk/client-rds';
import { aws, isErrorNamed, isNotFound } from '../aws/errors.js';
import { hasStackTag, STACK_TAG_KEY, createdTags, runIdOf } from '../config/names.js';
import { CliError, ForeignResourceError } from '../errors.js';
import { retryTransient } from '../waiters/retry.js';
import { readInstance, waitForInstanceAvailable, waitForInstanceDeleted } from '../waiters/instance.js';
import type { Instance } from './resources.js';
import { needed, type Step } from './step.js';

function title(id: string): string {
  return `DB instance ${id}`;
}

function toInstance(i: DBInstance): Instance {
  return { id: i.DBInstanceIdentifier ?? '', arn: i.DBInstanceArn ?? '', status: i.DBInstanceStatus ?? 'unknown' };
}

/** The cluster (or instance) is busy with another change; RDS accepts the call once it is done. */
function isBusy(err: unknown): boolean {
  return isErrorNamed(err, 'InvalidDBClusterStateFault', 'InvalidDBInstanceStateFault');
}

export const instanceStep: Step<'instance'> = {
  id: 'instance',
  title: 'writer instance',
  needs: ['cluster'],
  // RDS accepts CreateDBInstance while the cluster is still creating (the console creates the
  // writer right after CreateDBCluster returns); a busy answer is retried below.
  startsAfterCreated: ['cluster'],
  owned: true,
  plannedId: (ctx) => ctx.names.instance,

  async find(ctx) {
    const instance = await readInstance(ctx, ctx.names.instance);
    if (!instance) return undefined;
    if (!hasStackTag(instance.TagList, ctx.config.stack)) {
      throw new ForeignResourceError('DB instance', ctx.names.instance, STACK_TAG_KEY, ctx.config.stack);
    }
    return { ...toInstance(instance), runId: runIdOf(instance.TagList) };
  },

  async create(ctx) {
    const cluster = needed(ctx, 'cluster');
    const id = ctx.names.instance;
    const rds = await ctx.clients.rds();
    const out = await retryTransient(
      () =>
        aws(`creating ${title(id)}`, () =>
          rds.send(
            new CreateDBInstanceCommand({
              DBInstanceIdentifier: id,
              DBInstanceClass: 'db.serverless',
              Engine: 'aurora-postgresql',
              DBClusterIdentifier: cluster.id,
              // Clients reach the database through the proxy only, never from the internet.
              PubliclyAccessible: false,
              Tags: createdTags(ctx.config.stack, ctx.runId),
            }),
          ),
        ),
      {
        ...ctx.timing.retry,
        isTransient: isBusy,
        signal: ctx.signal,
        onRetry: () => ctx.progress({ kind: 'retrying', what: `creating ${title(ctx.names.instance)}`, because: `Aurora cluster ${cluster.id} is busy` }),
      },
    );
    if (!out.DBInstance) throw new CliError(`creating ${title(id)}: RDS returned no instance.`);
    return toInstance(out.DBInstance);
  },

  async wait(ctx, instance) {
    return toInstance(await waitForInstanceAvailable(ctx, instance.id));
  },

  async destroy(ctx, instance) {
    const id = instance.id;
    const rds = await ctx.clients.rds();
    const requestDelete = async () => {
      try {
        await aws(`deleting ${title(id)}`, () => rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id })));
      } catch (err) {
        if (isNotFound(err)) return;
        // RDS refuses a second delete of an instance that is already going away: nothing to ask.
        if (isBusy(err) && (await readInstance(ctx, id))?.DBInstanceStatus === 'deleting') return;
        throw err;
      }
    };
    await retryTransient(requestDelete, {
      ...ctx.timing.wait,
      isTransient: isBusy,
      signal: ctx.signal,
      onRetry: () => ctx.progress({ kind: 'retrying', what: `deleting ${title(id)}`, because: 'it is busy' }),
    });
    await waitForInstanceDeleted(ctx, id);
  },

  manualDelete(ctx, instance) {
    return `aws rds delete-db-instance --db-instance-identifier ${instance.id} --region ${ctx.config.region}`;
  },

  summary(instance) {
    return { id: instance.id, arn: instance.arn, state: instance.status };
  },
};
