import {
  DeleteDBProxyCommand,
  DeregisterDBProxyTargetsCommand,
  DescribeDBProxyTargetGroupsCommand,
  DescribeDBProxyTargetsCommand,
  ListTagsForResourceCommand,
  ModifyDBProxyTargetGroupCommand,
  RegisterDBProxyTargetsCommand,
} from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../support/sandbox.js';
import { failureOf, rdsFixtures } from './rds-fixtures.js';

describe('sandbox: DBProxyNotFoundFault for a proxy that does not exist', () => {
  const sandbox = useSandbox();
  const { rds, createProxy, createCluster } = rdsFixtures(sandbox);
  const notFound = { name: 'DBProxyNotFoundFault', status: 404, message: expect.stringContaining('missing-proxy') };

  it('from DeleteDBProxy', async () => {
    expect(await failureOf(rds().send(new DeleteDBProxyCommand({ DBProxyName: 'missing-proxy' })))).toEqual(notFound);
  });

  it('from DescribeDBProxyTargets', async () => {
    const call = rds().send(new DescribeDBProxyTargetsCommand({ DBProxyName: 'missing-proxy', TargetGroupName: 'default' }));

    expect(await failureOf(call)).toEqual(notFound);
  });

  it('from DescribeDBProxyTargetGroups', async () => {
    const call = rds().send(new DescribeDBProxyTargetGroupsCommand({ DBProxyName: 'missing-proxy', TargetGroupName: 'default' }));

    expect(await failureOf(call)).toEqual(notFound);
  });

  it('from ModifyDBProxyTargetGroup', async () => {
    const call = rds().send(
      new ModifyDBProxyTargetGroupCommand({
        DBProxyName: 'missing-proxy',
        TargetGroupName: 'default',
        ConnectionPoolConfig: { MaxConnectionsPercent: 50 },
      }),
    );

    expect(await failureOf(call)).toEqual(notFound);
  });

  it('from RegisterDBProxyTargets, even for a cluster that exists', async () => {
    await createCluster('real-cluster');

    const call = rds().send(
      new RegisterDBProxyTargetsCommand({ DBProxyName: 'missing-proxy', TargetGroupName: 'default', DBClusterIdentifiers: ['real-cluster'] }),
    );

    expect(await failureOf(call)).toEqual(notFound);
  });

  it('from DeregisterDBProxyTargets', async () => {
    const call = rds().send(
      new DeregisterDBProxyTargetsCommand({ DBProxyName: 'missing-proxy', TargetGroupName: 'default', DBClusterIdentifiers: ['real-cluster'] }),
    );

    expect(await failureOf(call)).toEqual(notFound);
  });

  it('from ListTagsForResource on the ARN of a proxy that was deleted, rather than an empty tag list', async () => {
    const proxy = await createProxy('short-lived', { Tags: [{ Key: 'team', Value: 'db' }] });
    await rds().send(new DeleteDBProxyCommand({ DBProxyName: 'short-lived' }));

    const failure = await failureOf(rds().send(new ListTagsForResourceCommand({ ResourceName: proxy.DBProxyArn })));

    expect(failure).toMatchObject({ name: 'DBProxyNotFoundFault', status: 404 });
    expect(failure.message).toContain(proxy.DBProxyArn!.split(':').pop());
  });

  it('leaves the calls on a proxy that exists as they were', async () => {
    const proxy = await createProxy('present', { Tags: [{ Key: 'team', Value: 'db' }] });

    const { TagList } = await rds().send(new ListTagsForResourceCommand({ ResourceName: proxy.DBProxyArn }));
    const { TargetGroups } = await rds().send(new DescribeDBProxyTargetGroupsCommand({ DBProxyName: 'present' }));

    expect(TagList).toEqual([{ Key: 'team', Value: 'db' }]);
    expect(TargetGroups!.map((g) => g.TargetGroupName)).toEqual(['default']);
  });
});
