import {
  DeleteDBInstanceCommand,
  DeregisterDBProxyTargetsCommand,
  DescribeDBInstancesCommand,
  DescribeDBProxyTargetsCommand,
  RegisterDBProxyTargetsCommand,
} from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../support/sandbox.js';
import { failureOf, rdsFixtures } from './rds-fixtures.js';

describe('sandbox: the target rows of a registered Aurora cluster', () => {
  const sandbox = useSandbox();
  const { rds, createProxy, createCluster, createInstance } = rdsFixtures(sandbox);
  const register = (proxy: string, cluster: string) =>
    rds().send(new RegisterDBProxyTargetsCommand({ DBProxyName: proxy, TargetGroupName: 'default', DBClusterIdentifiers: [cluster] }));
  const targets = async (proxy: string) =>
    (await rds().send(new DescribeDBProxyTargetsCommand({ DBProxyName: proxy, TargetGroupName: 'default' }))).Targets ?? [];
  const states = async (proxy: string) =>
    Object.fromEntries((await targets(proxy)).map((t) => [`${t.Type} ${t.RdsResourceId}`, t.TargetHealth?.State]));
  const endpointOf = async (instance: string) =>
    (await rds().send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: instance }))).DBInstances![0]!.Endpoint!.Address;

  /** A proxy with a two-instance cluster: the first instance made is the writer. */
  async function proxyWithCluster(name: string) {
    await createProxy(`${name}-proxy`);
    await createCluster(`${name}-cluster`);
    await createInstance(`${name}-writer`, `${name}-cluster`);
    await createInstance(`${name}-reader`, `${name}-cluster`);
  }

  it('answers RegisterDBProxyTargets with the cluster row and one row per instance, all REGISTERING', async () => {
    await proxyWithCluster('reg');

    const { DBProxyTargets } = await register('reg-proxy', 'reg-cluster');

    expect(DBProxyTargets).toEqual([
      { Type: 'TRACKED_CLUSTER', RdsResourceId: 'reg-cluster', Port: 5432, TargetHealth: { State: 'REGISTERING' } },
      expect.objectContaining({ Type: 'RDS_INSTANCE', RdsResourceId: 'reg-writer', TargetHealth: { State: 'REGISTERING' } }),
      expect.objectContaining({ Type: 'RDS_INSTANCE', RdsResourceId: 'reg-reader', TargetHealth: { State: 'REGISTERING' } }),
    ]);
  });

  it('describes each instance with its endpoint, port, cluster and role, and the cluster row without health', async () => {
    await proxyWithCluster('rows');
    await register('rows-proxy', 'rows-cluster');

    const rows = await targets('rows-proxy');

    expect(rows).toHaveLength(3);
    expect(rows).toContainEqual({ Type: 'TRACKED_CLUSTER', RdsResourceId: 'rows-cluster', Port: 5432 });
    expect(rows).toContainEqual({
      Type: 'RDS_INSTANCE',
      RdsResourceId: 'rows-writer',
      TrackedClusterId: 'rows-cluster',
      Endpoint: await endpointOf('rows-writer'),
      Port: 5432,
      Role: 'READ_WRITE',
      TargetHealth: { State: 'REGISTERING' },
    });
    expect(rows).toContainEqual(
      expect.objectContaining({ Type: 'RDS_INSTANCE', RdsResourceId: 'rows-reader', Role: 'READ_ONLY', Endpoint: await endpointOf('rows-reader') }),
    );
  });

  it('reports an instance row REGISTERING on the first look and AVAILABLE on the next', async () => {
    await proxyWithCluster('health');
    await register('health-proxy', 'health-cluster');

    const first = await states('health-proxy');
    const second = await states('health-proxy');

    expect(first).toEqual({
      'TRACKED_CLUSTER health-cluster': undefined,
      'RDS_INSTANCE health-writer': 'REGISTERING',
      'RDS_INSTANCE health-reader': 'REGISTERING',
    });
    expect(second).toEqual({
      'TRACKED_CLUSTER health-cluster': undefined,
      'RDS_INSTANCE health-writer': 'AVAILABLE',
      'RDS_INSTANCE health-reader': 'AVAILABLE',
    });
  });

  it('adds a row for an instance created after the cluster was registered, REGISTERING first', async () => {
    await proxyWithCluster('later');
    await register('later-proxy', 'later-cluster');
    await states('later-proxy');

    await createInstance('later-added', 'later-cluster');

    expect(await states('later-proxy')).toMatchObject({ 'RDS_INSTANCE later-writer': 'AVAILABLE', 'RDS_INSTANCE later-added': 'REGISTERING' });
    expect(await states('later-proxy')).toMatchObject({ 'RDS_INSTANCE later-added': 'AVAILABLE' });
    expect((await targets('later-proxy')).find((t) => t.RdsResourceId === 'later-added')).toMatchObject({ Role: 'READ_ONLY' });
  });

  it('drops the row of an instance that was deleted', async () => {
    await proxyWithCluster('shrink');
    await register('shrink-proxy', 'shrink-cluster');

    await rds().send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'shrink-reader', SkipFinalSnapshot: true }));

    expect(Object.keys(await states('shrink-proxy'))).toEqual(['TRACKED_CLUSTER shrink-cluster', 'RDS_INSTANCE shrink-writer']);
  });

  it('shows no rows once the cluster is deregistered', async () => {
    await proxyWithCluster('dereg');
    await register('dereg-proxy', 'dereg-cluster');

    await rds().send(
      new DeregisterDBProxyTargetsCommand({ DBProxyName: 'dereg-proxy', TargetGroupName: 'default', DBClusterIdentifiers: ['dereg-cluster'] }),
    );

    expect(await targets('dereg-proxy')).toEqual([]);
  });

  it('refuses to register a cluster that does not exist with DBClusterNotFoundFault', async () => {
    await createProxy('lonely-proxy');

    const failure = await failureOf(register('lonely-proxy', 'no-such-cluster'));

    expect(failure).toMatchObject({ name: 'DBClusterNotFoundFault', status: 404, message: expect.stringContaining('no-such-cluster') });
  });
});
