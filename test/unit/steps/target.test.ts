import type { Progress } from '../../../src/waiters/progress.js';
import {
  DBProxyNotFoundFault,
  DBProxyTargetNotFoundFault,
  DeregisterDBProxyTargetsCommand,
  DescribeDBProxyTargetsCommand,
  InvalidDBClusterStateFault,
  InvalidDBProxyStateFault,
  InvalidDBInstanceStateFault,
  RDSClient,
  RDSServiceException,
  RegisterDBProxyTargetsCommand,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CliError } from '../../../src/errors.js';
import type { StackResources } from '../../../src/steps/resources.js';
import type { BuildContext } from '../../../src/steps/step.js';
import { targetStep } from '../../../src/steps/target.js';
import { stepContext } from '../support/step-context.js';

const rds = mockClient(RDSClient);
const PROXY = 'unit-stack-proxy';
const CLUSTER = 'unit-stack-cluster';

const EARLIER: Partial<StackResources> = {
  proxy: {
    name: PROXY,
    arn: 'arn:aws:rds:us-east-1:123456789012:db-proxy:prx-0123456789abcdef0',
    resourceId: 'prx-0123456789abcdef0',
    endpoint: 'e',
    status: 'available',
    requireTls: true,
    debugLogging: false,
    auth: [],
  },
  cluster: {
    id: CLUSTER,
    arn: `arn:aws:rds:us-east-1:123456789012:cluster:${CLUSTER}`,
    status: 'available',
    endpoint: 'c',
    port: 5432,
    deletionProtection: true,
  iamDatabaseAuthentication: true,
    masterUser: 'postgres',
  },
  instance: { id: 'unit-stack-writer', arn: 'arn:aws:rds:us-east-1:123456789012:db:unit-stack-writer', status: 'creating' },
};

const trackedCluster = (id: string, state = 'AVAILABLE') => ({
  Type: 'TRACKED_CLUSTER' as const,
  RdsResourceId: id,
  TrackedClusterId: id,
  TargetHealth: { State: state as 'AVAILABLE' },
});

const writerRow = (state: string) => ({
  Type: 'RDS_INSTANCE' as const,
  RdsResourceId: 'unit-stack-writer',
  TrackedClusterId: CLUSTER,
  TargetHealth: { State: state as 'AVAILABLE' },
});

function awsError(name: string, message: string, status: number): RDSServiceException {
  return new RDSServiceException({ name, message, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
}

let ctx: BuildContext;
let progress: Progress[];

beforeEach(() => {
  rds.reset();
  progress = [];
  ctx = stepContext({ resources: EARLIER, progress: (line) => progress.push(line) });
});

describe('target step: find', () => {
  it('finds our cluster registered as the proxy target, with every health row', async () => {
    rds.on(DescribeDBProxyTargetsCommand).resolves({ Targets: [trackedCluster(CLUSTER), writerRow('AVAILABLE')] });

    const found = await targetStep.find(ctx);

    expect(found?.clusterId).toBe(CLUSTER);
    expect(found?.rows.map((r) => `${r.type} ${r.id} ${r.state}`)).toEqual([
      `TRACKED_CLUSTER ${CLUSTER} AVAILABLE`,
      'RDS_INSTANCE unit-stack-writer AVAILABLE',
    ]);
  });

  it('finds nothing when another cluster is the registered target', async () => {
    rds.on(DescribeDBProxyTargetsCommand).resolves({ Targets: [trackedCluster('someone-elses-cluster')] });

    expect(await targetStep.find(ctx)).toBeUndefined();
  });

  it('finds nothing when nothing is registered', async () => {
    rds.on(DescribeDBProxyTargetsCommand).resolves({ Targets: [] });

    expect(await targetStep.find(ctx)).toBeUndefined();
  });

  it('finds nothing when the proxy is gone, even without the earlier steps (teardown)', async () => {
    ctx = stepContext();
    rds.on(DescribeDBProxyTargetsCommand).rejects(new DBProxyNotFoundFault({ message: 'not found', $metadata: {} }));

    expect(await targetStep.find(ctx)).toBeUndefined();
  });
});

describe('target step: create', () => {
  it('registers the cluster with DBClusterIdentifiers, never the instance', async () => {
    rds.on(RegisterDBProxyTargetsCommand).resolves({ DBProxyTargets: [trackedCluster(CLUSTER, 'REGISTERING')] });

    const created = await targetStep.create(ctx);

    const input = rds.commandCalls(RegisterDBProxyTargetsCommand)[0]!.args[0].input;
    expect(input).toEqual({ DBProxyName: PROXY, TargetGroupName: 'default', DBClusterIdentifiers: [CLUSTER] });
    expect(input.DBInstanceIdentifiers).toBeUndefined();
    expect(created).toEqual({
      clusterId: CLUSTER,
      rows: [{ type: 'TRACKED_CLUSTER', id: CLUSTER, state: 'REGISTERING', reason: undefined, description: undefined }],
    });
  });

  it('retries while the writer instance is still being created, then registers', async () => {
    rds
      .on(RegisterDBProxyTargetsCommand)
      .rejectsOnce(
        new InvalidDBInstanceStateFault({ message: 'DB instance unit-stack-writer is not in available state.', $metadata: {} }),
      )
      .rejectsOnce(new InvalidDBClusterStateFault({ message: `DB cluster ${CLUSTER} is not available.`, $metadata: {} }))
      .resolves({ DBProxyTargets: [trackedCluster(CLUSTER, 'REGISTERING')] });

    const created = await targetStep.create(ctx);

    expect(created.clusterId).toBe(CLUSTER);
    expect(rds.commandCalls(RegisterDBProxyTargetsCommand)).toHaveLength(3);
    expect(progress[0]).toEqual({
      kind: 'retrying',
      what: `registering Aurora cluster ${CLUSTER}`,
      because: 'the cluster or the proxy is not ready for it yet',
    });
  });

  it('retries while the proxy is still being changed, then registers', async () => {
    rds
      .on(RegisterDBProxyTargetsCommand)
      .rejectsOnce(new InvalidDBProxyStateFault({ message: `DBProxy ${PROXY} is in the modifying state.`, $metadata: {} }))
      .resolves({ DBProxyTargets: [trackedCluster(CLUSTER, 'REGISTERING')] });

    const created = await targetStep.create(ctx);

    expect(created.clusterId).toBe(CLUSTER);
    expect(rds.commandCalls(RegisterDBProxyTargetsCommand)).toHaveLength(2);
  });

  it('does not retry an error that waiting cannot fix', async () => {
    rds.on(RegisterDBProxyTargetsCommand).rejects(new DBProxyNotFoundFault({ message: 'DBProxy not found.', $metadata: {} }));

    const error = (await targetStep.create(ctx).catch((e: unknown) => e)) as CliError;

    expect(error.message).toBe(`registering Aurora cluster ${CLUSTER} with RDS proxy ${PROXY}: DBProxy not found.`);
    expect(rds.commandCalls(RegisterDBProxyTargetsCommand)).toHaveLength(1);
  });
});

describe('target step: wait', () => {
  it('waits until the writer row is AVAILABLE', async () => {
    rds
      .on(DescribeDBProxyTargetsCommand)
      .resolvesOnce({ Targets: [trackedCluster(CLUSTER), writerRow('REGISTERING')] })
      .resolves({ Targets: [trackedCluster(CLUSTER), writerRow('AVAILABLE')] });

    const ready = await targetStep.wait!(ctx, { clusterId: CLUSTER, rows: [] });

    expect(targetStep.summary(ready)).toEqual({
      id: CLUSTER,
      state: `TRACKED_CLUSTER ${CLUSTER}: AVAILABLE, RDS_INSTANCE unit-stack-writer: AVAILABLE`,
    });
  });
});

describe('target step: destroy', () => {
  const options = { finalSnapshot: false, forceDeleteSecret: false };
  const target = { clusterId: CLUSTER, rows: [] };

  it('deregisters the cluster with DBClusterIdentifiers', async () => {
    rds.on(DeregisterDBProxyTargetsCommand).resolves({});

    await targetStep.destroy(ctx, target, options);

    expect(rds.commandCalls(DeregisterDBProxyTargetsCommand)[0]!.args[0].input).toEqual({
      DBProxyName: PROXY,
      TargetGroupName: 'default',
      DBClusterIdentifiers: [CLUSTER],
    });
  });

  it.each([
    ['the proxy', () => new DBProxyNotFoundFault({ message: 'DBProxy not found.', $metadata: {} })],
    ['the target', () => new DBProxyTargetNotFoundFault({ message: 'DBProxyTarget not found.', $metadata: {} })],
  ])('counts it as done when %s is already gone', async (_what, gone) => {
    rds.on(DeregisterDBProxyTargetsCommand).rejects(gone());

    await expect(targetStep.destroy(ctx, target, options)).resolves.toBeUndefined();
  });

  it('reports a failed deregistration while the proxy still exists', async () => {
    rds.on(DeregisterDBProxyTargetsCommand).rejects(awsError('InvalidDBProxyStateFault', 'The proxy is being modified.', 400));

    await expect(targetStep.destroy(ctx, target, options)).rejects.toThrow(
      `deregistering Aurora cluster ${CLUSTER} from RDS proxy ${PROXY}: The proxy is being modified.`,
    );
  });

  it('gives the AWS CLI command that deregisters it by hand', () => {
    expect(targetStep.manualDelete(ctx, target)).toBe(
      `aws rds deregister-db-proxy-targets --db-proxy-name ${PROXY} --db-cluster-identifiers ${CLUSTER} --region us-east-1`,
    );
  });
});
