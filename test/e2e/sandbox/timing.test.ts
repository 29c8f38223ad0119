import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  CreateDBProxyCommand,
  DeleteDBProxyCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBProxiesCommand,
  DescribeDBProxyTargetsCommand,
  RDSClient,
  RegisterDBProxyTargetsCommand,
} from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { AWS_SECONDS } from '../../../src/config/timing.js';
import { useSandbox, type Sandbox } from '../support/sandbox.js';

// Sandbox times are AWS's times multiplied by the factor: at 0.01 a cluster takes 0.6 s, a DB
// instance 3.6 s, a proxy 1.8 s, a target 1.2 s after what it waits for, a role 0.1 s to propagate.
const FACTOR = 0.01;

interface Timeline {
  kind: string;
  id: string;
  phase: 'create' | 'delete';
  started: number;
  done: number;
}

interface TimingReport {
  factor: number;
  seconds: Record<string, number>;
  resources: Timeline[];
  requests: { action: string; ids: Record<string, string>; t: number; status: number }[];
}

async function timingReport(sandbox: Sandbox): Promise<TimingReport> {
  const res = await fetch(`${sandbox.endpoint}/_sandbox/timing`);
  return (await res.json()) as TimingReport;
}

/** Sleeps until the sandbox's clock (the same machine's) has passed the moment, plus a margin. */
async function pastMoment(epochSeconds: number): Promise<void> {
  const ms = epochSeconds * 1000 - Date.now() + 100;
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}

async function timelineOf(sandbox: Sandbox, kind: string, phase: Timeline['phase']): Promise<Timeline> {
  const found = (await timingReport(sandbox)).resources.find((r) => r.kind === kind && r.phase === phase);
  expect(found, `no ${phase} timeline for a ${kind}`).toBeDefined();
  return found!;
}

function createCluster(rds: RDSClient, id: string) {
  return rds.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: id,
      Engine: 'aurora-postgresql',
      EngineMode: 'provisioned',
      MasterUsername: 'app',
      MasterUserPassword: 'a-long-password-1',
    }),
  );
}

const clusterStatus = async (rds: RDSClient, id: string) =>
  (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0]?.Status;
const instanceStatus = async (rds: RDSClient, id: string) =>
  (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0]?.DBInstanceStatus;
const proxyStatus = async (rds: RDSClient, name: string) =>
  (await rds.send(new DescribeDBProxiesCommand({ DBProxyName: name }))).DBProxies?.[0]?.Status;

/** A role, subnets and a proxy request as `up` sends it. */
async function proxyRequest(sandbox: Sandbox, name: string) {
  const ec2 = new EC2Client(sandbox.clientConfig);
  const subnets = ((await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? []).slice(0, 2).map((s) => s.SubnetId!);
  ec2.destroy();
  const iam = new IAMClient(sandbox.clientConfig);
  const role = await iam.send(new CreateRoleCommand({ RoleName: `${name}-role`, AssumeRolePolicyDocument: '{}' }));
  iam.destroy();
  return new CreateDBProxyCommand({
    DBProxyName: name,
    EngineFamily: 'POSTGRESQL',
    RoleArn: role.Role!.Arn!,
    VpcSubnetIds: subnets,
    Auth: [{ AuthScheme: 'SECRETS', IAMAuth: 'REQUIRED', SecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:m-AbCdEf' }],
    RequireTLS: true,
  });
}

describe('the sandbox timing mode (SANDBOX_TIMING set)', () => {
  const sandbox = useSandbox({ env: { SANDBOX_TIMING: String(FACTOR) } });
  const rds = () => new RDSClient(sandbox.clientConfig);

  it('reports a new cluster creating at first and available once its scaled time has passed', async () => {
    const client = rds();
    const created = await createCluster(client, 'orders');

    expect(created.DBCluster?.Status).toBe('creating');
    expect(await clusterStatus(client, 'orders')).toBe('creating');
    const timeline = await timelineOf(sandbox, 'cluster', 'create');
    expect(timeline.done - timeline.started).toBeCloseTo(60 * FACTOR, 3);
    await pastMoment(timeline.done);
    expect(await clusterStatus(client, 'orders')).toBe('available');
  });

  it('accepts a writer instance while its cluster is creating, and reports it creating until its own scaled time', async () => {
    const client = rds();
    await createCluster(client, 'orders');

    const instance = await client.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'orders-writer',
        DBClusterIdentifier: 'orders',
        DBInstanceClass: 'db.serverless',
        Engine: 'aurora-postgresql',
      }),
    );

    expect(instance.DBInstance?.DBInstanceStatus).toBe('creating');
    const cluster = await timelineOf(sandbox, 'cluster', 'create');
    const writer = await timelineOf(sandbox, 'instance', 'create');
    expect(writer.done - writer.started).toBeCloseTo(360 * FACTOR, 3);
    await pastMoment(cluster.done);
    expect(await instanceStatus(client, 'orders-writer')).toBe('creating');
    await pastMoment(writer.done);
    expect(await instanceStatus(client, 'orders-writer')).toBe('available');
  });

  it('reports a proxy creating, then available, and its target UNAVAILABLE then REGISTERING before AVAILABLE', async () => {
    const client = rds();
    await createCluster(client, 'orders');
    await client.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'orders-writer',
        DBClusterIdentifier: 'orders',
        DBInstanceClass: 'db.serverless',
        Engine: 'aurora-postgresql',
      }),
    );
    const request = await proxyRequest(sandbox, 'orders-proxy');
    await new Promise((r) => setTimeout(r, 10 * FACTOR * 1000 + 100));
    const proxy = await client.send(request);
    expect(proxy.DBProxy?.Status).toBe('creating');

    await client.send(new RegisterDBProxyTargetsCommand({ DBProxyName: 'orders-proxy', DBClusterIdentifiers: ['orders'] }));
    // The writer's RDS_INSTANCE row carries the health (the TRACKED_CLUSTER row has none, as on AWS).
    const health = async () =>
      (await client.send(new DescribeDBProxyTargetsCommand({ DBProxyName: 'orders-proxy' }))).Targets?.find((t) => t.Type === 'RDS_INSTANCE')
        ?.TargetHealth?.State;

    expect(await health()).toBe('UNAVAILABLE');
    const target = await timelineOf(sandbox, 'target', 'create');
    const writer = await timelineOf(sandbox, 'instance', 'create');
    const proxyTimeline = await timelineOf(sandbox, 'proxy', 'create');
    // Health counts from whichever is last: the registration, the proxy ready, the writer ready.
    expect(target.done).toBeCloseTo(Math.max(target.started, proxyTimeline.done, writer.done) + 120 * FACTOR, 3);
    await pastMoment(target.started + 120 * FACTOR * 0.1);
    expect(await health()).toBe('REGISTERING');
    await pastMoment(target.done);
    expect(await proxyStatus(client, 'orders-proxy')).toBe('available');
    expect(await health()).toBe('AVAILABLE');
  });

  it('reports a deleted proxy deleting until its scaled time has passed, then not found', async () => {
    const client = rds();
    const request = await proxyRequest(sandbox, 'orders-proxy');
    await new Promise((r) => setTimeout(r, 10 * FACTOR * 1000 + 100));
    await client.send(request);

    const deleted = await client.send(new DeleteDBProxyCommand({ DBProxyName: 'orders-proxy' }));

    expect(deleted.DBProxy?.Status).toBe('deleting');
    expect(await proxyStatus(client, 'orders-proxy')).toBe('deleting');
    const timeline = await timelineOf(sandbox, 'proxy', 'delete');
    expect(timeline.done - timeline.started).toBeCloseTo(180 * FACTOR, 3);
    await pastMoment(timeline.done);
    const gone = await proxyStatus(client, 'orders-proxy').catch((err: unknown) => (err as Error).name);
    expect(gone).toBe('DBProxyNotFoundFault');
  });

  it('models the same AWS durations that the CLI plans its polling around', async () => {
    const report = await timingReport(sandbox);

    expect(report.factor).toBe(FACTOR);
    expect(report.seconds).toEqual(AWS_SECONDS);
  });

  it('logs every AWS request it answered, with the action and the resource it names', async () => {
    await createCluster(rds(), 'orders');

    const { requests } = await timingReport(sandbox);

    expect(requests).toContainEqual(
      expect.objectContaining({ action: 'CreateDBCluster', ids: { DBClusterIdentifier: 'orders' }, status: 200 }),
    );
  });
});

describe('the sandbox timing mode at factor 1', () => {
  const sandbox = useSandbox({ env: { SANDBOX_TIMING: '1' } });

  it('refuses a proxy whose role is younger than IAM propagation, with the wording clients retry on', async () => {
    const request = await proxyRequest(sandbox, 'orders-proxy');

    const refused = await new RDSClient(sandbox.clientConfig).send(request).catch((err: unknown) => err as Error);

    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).name).toBe('InvalidParameterValue');
    expect((refused as Error).message).toMatch(/^IAM role ARN value is invalid or does not include the required permissions/);
  });

});

describe('the sandbox without SANDBOX_TIMING', () => {
  const sandbox = useSandbox();

  it('answers as moto does: a new cluster is available at the next look', async () => {
    const client = new RDSClient(sandbox.clientConfig);
    await createCluster(client, 'orders');

    expect(await clusterStatus(client, 'orders')).toBe('available');
    expect((await timingReport(sandbox)).resources).toEqual([]);
  });
});
