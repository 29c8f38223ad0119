import {
  CreateDBClusterCommand,
  DeleteDBClusterCommand,
  ModifyDBClusterCommand,
  type DBCluster,
  type ModifyDBClusterCommandInput,
} from '@aws-sdk/client-rds';
import { REDACTED } from '../aws/redact.js';
import { aws, isErrorNamed, isNotFound, wrapAwsError } from '../aws/errors.js';
import { finalSnapshotId, hasStackTag, POSTGRES_PORT, STACK_TAG_KEY, stackTags } from '../config/names.js';
import { CliError, ForeignResourceError } from '../errors.js';
import { retryTransient } from '../waiters/retry.js';
import { readCluster, waitForClusterAvailable, waitForClusterDeleted } from '../waiters/cluster.js';
import type { Cluster } from './resources.js';
import { readSecretCredentials } from './secret-value.js';
import { needed, type KeptResource, type Step, type StepContext } from './step.js';

const ENGINE = 'aurora-postgresql';

function title(id: string): string {
  return `Aurora cluster ${id}`;
}

function toCluster(c: DBCluster): Cluster {
  return {
    id: c.DBClusterIdentifier ?? '',
    arn: c.DBClusterArn ?? '',
    status: c.Status ?? 'unknown',
    endpoint: c.Endpoint ?? '',
    port: c.Port ?? POSTGRES_PORT,
    resourceId: c.DbClusterResourceId,
    deletionProtection: c.DeletionProtection ?? false,
    masterUser: c.MasterUsername ?? '',
    databaseName: c.DatabaseName,
  };
}

/** Busy with another change (creating, modifying): RDS accepts the call once that is done. */
function isBusy(err: unknown): boolean {
  return isErrorNamed(err, 'InvalidDBClusterStateFault', 'InvalidDBClusterState');
}

/** An AWS error about CreateDBCluster, with the master password cut out should it ever be echoed. */
function withoutPassword(err: CliError, password: string): CliError {
  if (password === '' || !err.message.includes(password)) return err;
  // The cause would carry the echoed password along: leave it out.
  return new CliError(err.message.split(password).join(REDACTED), {
    source: err.source,
    code: err.code,
    hint: err.hint,
  });
}

interface WantedChange {
  drift: string;
  input: Partial<ModifyDBClusterCommandInput>;
}

function wantedChanges(ctx: StepContext, c: DBCluster): WantedChange[] {
  const changes: WantedChange[] = [];
  if (!c.DeletionProtection) {
    changes.push({ drift: 'deletion protection is off (wanted on)', input: { DeletionProtection: true } });
  }
  if (!c.IAMDatabaseAuthenticationEnabled) {
    changes.push({
      drift: 'IAM database authentication is off (wanted on)',
      input: { EnableIAMDatabaseAuthentication: true },
    });
  }
  const scaling = c.ServerlessV2ScalingConfiguration;
  const { minAcu, maxAcu } = ctx.settings;
  if (scaling?.MinCapacity !== minAcu || scaling?.MaxCapacity !== maxAcu) {
    const now = scaling ? `${scaling.MinCapacity ?? '?'}–${scaling.MaxCapacity ?? '?'} ACU` : 'not set';
    changes.push({
      drift: `Serverless v2 capacity is ${now} (wanted ${minAcu}–${maxAcu} ACU)`,
      input: { ServerlessV2ScalingConfiguration: { MinCapacity: minAcu, MaxCapacity: maxAcu } },
    });
  }
  return changes;
}

async function found(ctx: StepContext, id: string): Promise<DBCluster> {
  const c = await readCluster(ctx, id);
  if (!c) throw new CliError(`${title(id)} no longer exists.`, { hint: 'Run the command again to create it.' });
  return c;
}

async function turnOffDeletionProtection(ctx: StepContext, id: string): Promise<void> {
  const rds = await ctx.clients.rds();
  const input = { DBClusterIdentifier: id, DeletionProtection: false, ApplyImmediately: true };
  await retryTransient(
    () => aws(`turning off deletion protection of ${title(id)}`, () => rds.send(new ModifyDBClusterCommand(input))),
    {
      ...ctx.timing.wait,
      isTransient: isBusy,
      signal: ctx.signal,
      onRetry: () => ctx.progress(`${title(id)} is busy; retrying`),
    },
  );
}

/** Asks RDS to delete the cluster; false when it was already gone. */
async function requestDelete(ctx: StepContext, id: string, snapshotId: string | undefined): Promise<boolean> {
  const rds = await ctx.clients.rds();
  const input = snapshotId
    ? { DBClusterIdentifier: id, FinalDBSnapshotIdentifier: snapshotId }
    : { DBClusterIdentifier: id, SkipFinalSnapshot: true };
  try {
    await retryTransient(() => aws(`deleting ${title(id)}`, () => rds.send(new DeleteDBClusterCommand(input))), {
      ...ctx.timing.wait,
      isTransient: isBusy,
      signal: ctx.signal,
      onRetry: () => ctx.progress(`${title(id)} is busy; retrying the delete`),
    });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

export const clusterStep: Step<'cluster'> = {
  id: 'cluster',
  title: 'Aurora cluster',
  needs: ['subnet-group', 'cluster-sg', 'secret'],
  owned: true,

  async find(ctx) {
    const c = await readCluster(ctx, ctx.names.cluster);
    if (!c) return undefined;
    if (!hasStackTag(c.TagList, ctx.config.stack)) {
      throw new ForeignResourceError('Aurora cluster', ctx.names.cluster, STACK_TAG_KEY, ctx.config.stack);
    }
    return toCluster(c);
  },

  async create(ctx) {
    const subnetGroup = needed(ctx, 'subnet-group');
    const clusterSg = needed(ctx, 'cluster-sg');
    const secret = needed(ctx, 'secret');
    const id = ctx.names.cluster;
    const { settings } = ctx;
    const credentials = await readSecretCredentials(ctx.clients, secret.arn);
    const rds = await ctx.clients.rds();
    try {
      const out = await rds.send(
        new CreateDBClusterCommand({
          DBClusterIdentifier: id,
          Engine: ENGINE,
          EngineVersion: settings.engineVersion,
          EngineMode: 'provisioned',
          ServerlessV2ScalingConfiguration: { MinCapacity: settings.minAcu, MaxCapacity: settings.maxAcu },
          MasterUsername: credentials.username,
          MasterUserPassword: credentials.password,
          DatabaseName: settings.dbName,
          DBSubnetGroupName: subnetGroup.name,
          VpcSecurityGroupIds: [clusterSg.id],
          Port: POSTGRES_PORT,
          EnableIAMDatabaseAuthentication: true,
          StorageEncrypted: true,
          DeletionProtection: true,
          Tags: stackTags(ctx.config.stack),
        }),
      );
      if (!out.DBCluster) throw new CliError(`creating ${title(id)}: RDS returned no cluster.`);
      return toCluster(out.DBCluster);
    } catch (err) {
      throw withoutPassword(wrapAwsError(`creating ${title(id)}`, err), credentials.password);
    }
  },

  async drift(ctx, current) {
    return wantedChanges(ctx, await found(ctx, current.id)).map((change) => change.drift);
  },

  async converge(ctx, current) {
    let c = await found(ctx, current.id);
    // RDS refuses changes while the cluster is busy with another one.
    if (c.Status !== 'available') c = await waitForClusterAvailable(ctx, current.id);
    const changes = wantedChanges(ctx, c);
    if (changes.length === 0) return toCluster(c);
    const input: ModifyDBClusterCommandInput = { DBClusterIdentifier: current.id, ApplyImmediately: true };
    for (const change of changes) Object.assign(input, change.input);
    const rds = await ctx.clients.rds();
    const out = await aws(`updating ${title(current.id)}`, () => rds.send(new ModifyDBClusterCommand(input)));
    return toCluster(out.DBCluster ?? c);
  },

  async wait(ctx, cluster) {
    return toCluster(await waitForClusterAvailable(ctx, cluster.id));
  },

  async destroy(ctx, cluster, options): Promise<KeptResource | void> {
    const id = cluster.id;
    const live = await readCluster(ctx, id);
    if (!live) return;
    if (live.Status === 'deleting') {
      await waitForClusterDeleted(ctx, id);
      return;
    }
    // Teardown calls destroy only after the user confirmed; rollback removes what this run made.
    if (live.DeletionProtection) await turnOffDeletionProtection(ctx, id);
    const snapshotId = options.finalSnapshot ? finalSnapshotId(ctx.config.stack, new Date()) : undefined;
    if (!(await requestDelete(ctx, id, snapshotId))) return;
    await waitForClusterDeleted(ctx, id);
    if (!snapshotId) return;
    return {
      kind: 'snapshot',
      id: snapshotId,
      detail: `final snapshot of ${title(id)}; restore it with aws rds restore-db-cluster-from-snapshot`,
    };
  },

  manualDelete(ctx, cluster) {
    const target = `--db-cluster-identifier ${cluster.id} --region ${ctx.config.region}`;
    // By hand we keep a final snapshot: the safe choice when we cannot tell whether data matters.
    const snapshot = finalSnapshotId(ctx.config.stack, new Date());
    return (
      `aws rds modify-db-cluster ${target} --no-deletion-protection --apply-immediately && ` +
      `aws rds delete-db-cluster ${target} --final-db-snapshot-identifier ${snapshot}`
    );
  },

  summary(cluster) {
    return { id: cluster.id, arn: cluster.arn, state: cluster.status };
  },
};
