import {
  DBClusterNotFoundFault,
  DBInstanceNotFoundFault,
  DeleteDBClusterCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  InvalidDBClusterStateFault,
  ModifyDBClusterCommand,
  RDSClient,
  RDSServiceException,
  type DBCluster,
  type DBInstance,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CliError, InterruptedError } from '../../../src/errors.js';
import { clusterStep } from '../../../src/steps/cluster.js';
import type { BuildContext } from '../../../src/steps/step.js';
import type { Progress } from '../../../src/waiters/progress.js';
import { RECORDED_CLUSTER, stepContext } from '../support/step-context.js';

const rds = mockClient(RDSClient);

const CLUSTER = 'unit-stack-cluster';
const WRITER = 'unit-stack-writer';
const OUR_TAGS = [{ Key: 'rdsproxy-setup:stack', Value: 'unit-stack' }];
/** RDS's words when a cluster to delete has instances (and moto's, which copies them). */
const HOLDS_INSTANCES = 'Cluster cannot be deleted, it still contains DB instances in non-deleting state.';
const NO_SNAPSHOT = { finalSnapshot: false, forceDeleteSecret: false };


function cluster(overrides: Partial<DBCluster> = {}): DBCluster {
  return { DBClusterIdentifier: CLUSTER, Status: 'available', DeletionProtection: false, TagList: OUR_TAGS, DBClusterMembers: [], ...overrides };
}

const member = (id: string, writer = false) => ({ DBInstanceIdentifier: id, IsClusterWriter: writer });
const instance = (overrides: Partial<DBInstance> = {}): DBInstance => ({
  DBInstanceIdentifier: WRITER,
  DBInstanceStatus: 'deleting',
  TagList: OUR_TAGS,
  ...overrides,
});
const holdsInstances = () => new InvalidDBClusterStateFault({ message: HOLDS_INSTANCES, $metadata: {} });
const clusterGone = () => new DBClusterNotFoundFault({ message: `DBCluster ${CLUSTER} not found.`, $metadata: {} });

function context(options: { signal?: AbortSignal; progress?: Progress[]; busyMs?: number } = {}): BuildContext {
  const ctx = stepContext({ signal: options.signal, progress: (p) => options.progress?.push(p) });
  return options.busyMs === undefined ? ctx : { ...ctx, timing: { ...ctx.timing, busy: { timeoutMs: options.busyMs, minDelayMs: 1, maxDelayMs: 2 } } };
}

const destroyError = (ctx: BuildContext = context()) =>
  clusterStep.destroy(ctx, RECORDED_CLUSTER, NO_SNAPSHOT).then(
    () => {
      throw new Error('the delete succeeded');
    },
    (e: unknown) => e as CliError,
  );

beforeEach(() => {
  rds.reset();
});

describe('cluster step: destroy, when the cluster still contains DB instances', () => {
  it('stops at once naming an instance that is not the stack\'s writer, with AWS\'s message and the command that removes it', async () => {
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [cluster({ DBClusterMembers: [member('someones-reader')] })] });
    rds.on(DeleteDBClusterCommand).rejects(holdsInstances());

    const error = await destroyError();

    expect(error.message).toContain(`someones-reader (not the stack's writer ${WRITER})`);
    expect(error.message).toContain(HOLDS_INSTANCES);
    expect(error.message).toContain('aws rds delete-db-instance --db-instance-identifier someones-reader --region us-east-1');
    expect(rds.commandCalls(DeleteDBClusterCommand)).toHaveLength(1);
    expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(0);
  });

  it("stops on an instance under the writer's name that does not carry the stack's tag", async () => {
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [cluster({ DBClusterMembers: [member(WRITER, true)] })] });
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance({ DBInstanceStatus: 'available', TagList: [] })] });
    rds.on(DeleteDBClusterCommand).rejects(holdsInstances());

    const error = await destroyError();

    expect(error.message).toContain(`${WRITER} (available, not tagged rdsproxy-setup:stack=unit-stack)`);
    expect(rds.commandCalls(DeleteDBClusterCommand)).toHaveLength(1);
  });

  it("stops on the stack's own writer when it is not being deleted, rather than waiting for nothing", async () => {
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [cluster({ DBClusterMembers: [member(WRITER, true)] })] });
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [instance({ DBInstanceStatus: 'available' })] });
    rds.on(DeleteDBClusterCommand).rejects(holdsInstances());

    const error = await destroyError();

    expect(error.message).toContain(`${WRITER} (available, the stack's writer, not being deleted)`);
    expect(rds.commandCalls(DeleteDBClusterCommand)).toHaveLength(1);
  });

  it("waits until the stack's own writer being deleted is gone, then deletes the cluster", async () => {
    const progress: Progress[] = [];
    rds
      .on(DescribeDBClustersCommand)
      .resolvesOnce({ DBClusters: [cluster({ DBClusterMembers: [member(WRITER, true)] })] })
      .resolvesOnce({ DBClusters: [cluster({ DBClusterMembers: [member(WRITER, true)] })] })
      .rejects(clusterGone());
    rds
      .on(DescribeDBInstancesCommand)
      .resolvesOnce({ DBInstances: [instance()] })
      .resolvesOnce({ DBInstances: [instance()] })
      .rejects(new DBInstanceNotFoundFault({ message: `DBInstance ${WRITER} not found.`, $metadata: {} }));
    rds.on(DeleteDBClusterCommand).rejectsOnce(holdsInstances()).resolves({ DBCluster: cluster({ Status: 'deleting' }) });

    await clusterStep.destroy(context({ progress }), RECORDED_CLUSTER, NO_SNAPSHOT);

    expect(rds.commandCalls(DeleteDBClusterCommand)).toHaveLength(2);
    expect(progress).toContainEqual(expect.objectContaining({ kind: 'waiting', what: `DB instance ${WRITER} to be deleted`, status: 'deleting' }));
  });
});

describe('cluster step: destroy, while RDS says the cluster is busy', () => {
  const BUSY = 'DB cluster is not in available state: it is modifying.';

  it("shows AWS's message on each retry and gives up after the busy bound, saying how long it retried", async () => {
    const progress: Progress[] = [];
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [cluster()] });
    rds.on(DeleteDBClusterCommand).rejects(new InvalidDBClusterStateFault({ message: BUSY, $metadata: {} }));

    const error = await destroyError(context({ progress, busyMs: 20 }));

    expect(error.message).toMatch(new RegExp(`^deleting Aurora cluster ${CLUSTER}: AWS still refused it after \\d+s of retrying: ${BUSY}$`));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toEqual({ kind: 'retrying', what: `deleting Aurora cluster ${CLUSTER}`, because: `AWS says "${BUSY}"` });
  });

  it('ends the retry at once on a Ctrl-C', async () => {
    const abort = new AbortController();
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [cluster()] });
    rds.on(DeleteDBClusterCommand).callsFake(() => {
      setTimeout(() => abort.abort('interrupt'), 5);
      throw new InvalidDBClusterStateFault({ message: BUSY, $metadata: {} });
    });
    const ctx = context({ signal: abort.signal });
    const slow = { ...ctx, timing: { ...ctx.timing, busy: { timeoutMs: 60_000, minDelayMs: 30_000, maxDelayMs: 30_000 } } };
    const started = Date.now();

    const error = await destroyError(slow);

    expect(error).toBeInstanceOf(InterruptedError);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(rds.commandCalls(DeleteDBClusterCommand)).toHaveLength(1);
  });
});

describe('cluster step: destroy, when the delete fails after deletion protection was turned off', () => {
  const REFUSED = new RDSServiceException({ name: 'InvalidParameterCombination', $fault: 'client', message: 'refused for the test', $metadata: {} });

  it('turns deletion protection back on and says so', async () => {
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [cluster({ DeletionProtection: true })] });
    rds.on(ModifyDBClusterCommand).resolves({ DBCluster: cluster() });
    rds.on(DeleteDBClusterCommand).rejects(REFUSED);

    const error = await destroyError();

    expect(rds.commandCalls(ModifyDBClusterCommand).map((c) => c.args[0].input.DeletionProtection)).toEqual([false, true]);
    expect(error.message).toBe(`deleting Aurora cluster ${CLUSTER}: refused for the test. Deletion protection was turned back on.`);
  });

  it('says loudly that deletion protection is off, with the command that turns it on, when turning it back on fails too', async () => {
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [cluster({ DeletionProtection: true })] });
    rds
      .on(ModifyDBClusterCommand)
      .resolvesOnce({ DBCluster: cluster() })
      .rejects(new RDSServiceException({ name: 'AccessDenied', $fault: 'client', message: 'not allowed', $metadata: {} }));
    rds.on(DeleteDBClusterCommand).rejects(REFUSED);

    const error = await destroyError();

    expect(error.message).toContain(`DELETION PROTECTION IS OFF on Aurora cluster ${CLUSTER}`);
    expect(error.message).toContain('not allowed');
    expect(error.message).toContain(
      `Turn it on with: aws rds modify-db-cluster --db-cluster-identifier ${CLUSTER} --deletion-protection --apply-immediately --region us-east-1`,
    );
  });

  it('leaves deletion protection alone when it was already off', async () => {
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [cluster({ DeletionProtection: false })] });
    rds.on(DeleteDBClusterCommand).rejects(REFUSED);

    const error = await destroyError();

    expect(rds.commandCalls(ModifyDBClusterCommand)).toHaveLength(0);
    expect(error.message).toBe(`deleting Aurora cluster ${CLUSTER}: refused for the test`);
  });

  it('does not turn it back on when the cluster is being deleted after all', async () => {
    rds
      .on(DescribeDBClustersCommand)
      .resolvesOnce({ DBClusters: [cluster({ DeletionProtection: true })] })
      .resolves({ DBClusters: [cluster({ Status: 'deleting' })] });
    rds.on(ModifyDBClusterCommand).resolves({ DBCluster: cluster() });
    rds.on(DeleteDBClusterCommand).rejects(REFUSED);

    await destroyError();

    expect(rds.commandCalls(ModifyDBClusterCommand).map((c) => c.args[0].input.DeletionProtection)).toEqual([false]);
  });
});
