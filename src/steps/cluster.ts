import {
  CreateDBClusterCommand,
  EnableHttpEndpointCommand,
  ModifyDBClusterCommand,
  type DBCluster,
  type ModifyDBClusterCommandInput,
} from '@aws-sdk/client-rds';
import { REDACTED } from '../aws/redact.js';
import { aws, wrapAwsError } from '../aws/errors.js';
import { finalSnapshotId, hasStackTag, POSTGRES_PORT, STACK_TAG_KEY, createdTags, runIdOf } from '../config/names.js';
import { CliError, ForeignResourceError } from '../errors.js';
import { readCluster, waitForClusterAvailable, waitForClusterDeleted } from '../waiters/cluster.js';
import { requestClusterDelete } from './cluster-delete.js';
import type { Cluster } from './resources.js';
import { readSecretCredentials } from './secret-value.js';
import { needed, type BuildContext, type Change, type KeptResource, type Step } from './step.js';

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
    iamDatabaseAuthentication: c.IAMDatabaseAuthenticationEnabled ?? false,
    scaling: c.ServerlessV2ScalingConfiguration && {
      minAcu: c.ServerlessV2ScalingConfiguration.MinCapacity,
      maxAcu: c.ServerlessV2ScalingConfiguration.MaxCapacity,
    },
    masterUser: c.MasterUsername ?? '',
    databaseName: c.DatabaseName,
    httpEndpoint: c.HttpEndpointEnabled ?? false,
  };
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

const acuRange = (min: number | undefined, max: number | undefined) => `${min ?? '?'}–${max ?? '?'} ACU`;

/** What differs from the wanted cluster, from the description find() already read. */
function clusterChanges(ctx: BuildContext, c: Cluster): Change[] {
  const changes: Change[] = [];
  if (!c.deletionProtection) changes.push({ field: 'DeletionProtection', have: 'off', want: 'on' });
  if (!c.iamDatabaseAuthentication) changes.push({ field: 'IAMDatabaseAuthenticationEnabled', have: 'off', want: 'on' });
  const { minAcu, maxAcu } = ctx.settings;
  if (c.scaling?.minAcu !== minAcu || c.scaling?.maxAcu !== maxAcu) {
    changes.push({
      field: SCALING,
      have: c.scaling ? acuRange(c.scaling.minAcu, c.scaling.maxAcu) : 'not set',
      want: acuRange(minAcu, maxAcu),
    });
  }
  // --data-api turns the HTTP endpoint on; without it `up` leaves it as it is.
  if (ctx.settings.dataApi && !c.httpEndpoint) changes.push({ field: HTTP_ENDPOINT, have: 'off', want: 'on' });
  return changes;
}

/** Not a ModifyDBCluster member for Serverless v2: its own call, EnableHttpEndpoint. */
const HTTP_ENDPOINT = 'HttpEndpointEnabled';

const SCALING = 'ServerlessV2ScalingConfiguration';

/** The ModifyDBCluster members that apply one change. */
function modification(ctx: BuildContext, change: Change): Partial<ModifyDBClusterCommandInput> {
  switch (change.field) {
    case 'DeletionProtection':
      return { DeletionProtection: true };
    case 'IAMDatabaseAuthenticationEnabled':
      return { EnableIAMDatabaseAuthentication: true };
    case SCALING:
      return { ServerlessV2ScalingConfiguration: { MinCapacity: ctx.settings.minAcu, MaxCapacity: ctx.settings.maxAcu } };
    default:
      throw new CliError(`Internal error: the cluster step cannot apply a change to ${change.field}.`, { code: 'StepOrder' });
  }
}

export const clusterStep: Step<'cluster'> = {
  id: 'cluster',
  title: 'Aurora cluster',
  needs: ['subnet-group', 'cluster-sg', 'secret'],
  owned: true,
  plannedId: (ctx) => ctx.names.cluster,

  async find(ctx) {
    const c = await readCluster(ctx, ctx.names.cluster);
    if (!c) return undefined;
    if (!hasStackTag(c.TagList, ctx.config.stack)) {
      throw new ForeignResourceError('Aurora cluster', ctx.names.cluster, STACK_TAG_KEY, ctx.config.stack);
    }
    return { ...toCluster(c), runId: runIdOf(c.TagList) };
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
          ...(settings.dataApi ? { EnableHttpEndpoint: true } : {}),
          StorageEncrypted: true,
          DeletionProtection: true,
          Tags: createdTags(ctx.config.stack, ctx.runId),
        }),
      );
      if (!out.DBCluster) throw new CliError(`creating ${title(id)}: RDS returned no cluster.`);
      return toCluster(out.DBCluster);
    } catch (err) {
      throw withoutPassword(wrapAwsError(`creating ${title(id)}`, err), credentials.password);
    }
  },

  drift: async (ctx, current) => clusterChanges(ctx, current),

  async converge(ctx, current, changes) {
    // RDS refuses changes while the cluster is busy with another one.
    const c = current.status === 'available' ? current : toCluster(await waitForClusterAvailable(ctx, current.id));
    const rds = await ctx.clients.rds();
    let updated = c;
    if (changes.some((change) => change.field === HTTP_ENDPOINT)) {
      await aws(`turning on the Data API (HTTP endpoint) of ${title(current.id)}`, () =>
        rds.send(new EnableHttpEndpointCommand({ ResourceArn: current.arn })),
      );
      updated = { ...updated, httpEndpoint: true };
    }
    const modifications = changes.filter((change) => change.field !== HTTP_ENDPOINT);
    if (modifications.length === 0) return updated;
    const input: ModifyDBClusterCommandInput = { DBClusterIdentifier: current.id, ApplyImmediately: true };
    for (const change of modifications) Object.assign(input, modification(ctx, change));
    const out = await aws(`updating ${title(current.id)}`, () => rds.send(new ModifyDBClusterCommand(input)));
    return out.DBCluster ? { ...toCluster(out.DBCluster), httpEndpoint: updated.httpEndpoint } : updated;
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
    const snapshotId = options.finalSnapshot ? finalSnapshotId(ctx.config.stack, new Date()) : undefined;
    if (!(await requestClusterDelete(ctx, id, { snapshotId, deletionProtection: live.DeletionProtection ?? false }))) return;
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
