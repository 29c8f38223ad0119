import {
  DBProxyNotFoundFault,
  DBProxyTargetGroupNotFoundFault,
  DescribeDBProxyTargetGroupsCommand,
  ModifyDBProxyTargetGroupCommand,
  RDSClient,
  type DBProxyTargetGroup,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StackResources } from '../../../src/steps/resources.js';
import type { BuildContext } from '../../../src/steps/step.js';
import { targetGroupStep } from '../../../src/steps/target-group.js';
import { stepContext } from '../support/step-context.js';

const rds = mockClient(RDSClient);
const PROXY = 'unit-stack-proxy';
const GROUP_ARN = 'arn:aws:rds:us-east-1:123456789012:target-group:prx-tg-0123456789abcdef0';

const WITH_PROXY: Partial<StackResources> = {
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
};

function group(borrow: number, max: number, idle: number): DBProxyTargetGroup {
  return {
    DBProxyName: PROXY,
    TargetGroupName: 'default',
    TargetGroupArn: GROUP_ARN,
    IsDefault: true,
    ConnectionPoolConfig: { ConnectionBorrowTimeout: borrow, MaxConnectionsPercent: max, MaxIdleConnectionsPercent: idle },
  };
}

let ctx: BuildContext;

beforeEach(() => {
  rds.reset();
  ctx = stepContext({ resources: WITH_PROXY });
});

describe('target-group step', () => {
  it('is not owned: the default target group comes and goes with the proxy', () => {
    expect(targetGroupStep.owned).toBe(false);
    expect(targetGroupStep.needs).toEqual(['proxy']);
  });

  it('finds the default target group of our proxy with its pool settings', async () => {
    rds.on(DescribeDBProxyTargetGroupsCommand).resolves({ TargetGroups: [group(120, 100, 50)] });

    const found = await targetGroupStep.find(ctx);

    expect(found).toEqual({
      name: 'default',
      arn: GROUP_ARN,
      borrowTimeoutSeconds: 120,
      maxConnectionsPercent: 100,
      maxIdleConnectionsPercent: 50,
    });
    expect(rds.commandCalls(DescribeDBProxyTargetGroupsCommand)[0]!.args[0].input).toEqual({
      DBProxyName: PROXY,
      TargetGroupName: 'default',
    });
  });

  it('finds nothing while the proxy has no default target group yet', async () => {
    rds
      .on(DescribeDBProxyTargetGroupsCommand)
      .rejects(new DBProxyTargetGroupNotFoundFault({ message: 'not found', $metadata: {} }));

    expect(await targetGroupStep.find(ctx)).toBeUndefined();
  });

  it('finds nothing when the proxy itself is gone (teardown without the earlier steps)', async () => {
    ctx = stepContext();
    rds.on(DescribeDBProxyTargetGroupsCommand).rejects(new DBProxyNotFoundFault({ message: 'not found', $metadata: {} }));

    expect(await targetGroupStep.find(ctx)).toBeUndefined();
  });

  it('reports no drift for the pool `up` sets (120 s, 100 %, 50 %)', async () => {
    const current = { name: 'default', borrowTimeoutSeconds: 120, maxConnectionsPercent: 100, maxIdleConnectionsPercent: 50 };

    expect(await targetGroupStep.drift!(ctx, current)).toEqual([]);
  });

  it('reports each pool setting that differs, with the wanted value', async () => {
    const current = { name: 'default', borrowTimeoutSeconds: 30, maxConnectionsPercent: 90, maxIdleConnectionsPercent: 10 };

    expect(await targetGroupStep.drift!(ctx, current)).toEqual([
      { field: 'ConnectionBorrowTimeout', have: '30 s', want: '120 s' },
      { field: 'MaxConnectionsPercent', have: '90 %', want: '100 %' },
      { field: 'MaxIdleConnectionsPercent', have: '10 %', want: '50 %' },
    ]);
  });

  it('measures drift against the pool options the user gave', async () => {
    ctx = stepContext({ resources: WITH_PROXY, up: { borrowTimeout: '30' } });
    const current = { name: 'default', borrowTimeoutSeconds: 120, maxConnectionsPercent: 100, maxIdleConnectionsPercent: 50 };

    expect(await targetGroupStep.drift!(ctx, current)).toEqual([{ field: 'ConnectionBorrowTimeout', have: '120 s', want: '30 s' }]);
  });

  it('repairs the pool with ModifyDBProxyTargetGroup and returns the new settings', async () => {
    rds.on(ModifyDBProxyTargetGroupCommand).resolves({ DBProxyTargetGroup: group(120, 100, 50) });
    const drifted = { name: 'default', borrowTimeoutSeconds: 30, maxConnectionsPercent: 90, maxIdleConnectionsPercent: 10 };

    const repaired = await targetGroupStep.converge!(ctx, drifted, await targetGroupStep.drift!(ctx, drifted));

    expect(rds.commandCalls(ModifyDBProxyTargetGroupCommand)[0]!.args[0].input).toEqual({
      DBProxyName: PROXY,
      TargetGroupName: 'default',
      ConnectionPoolConfig: { ConnectionBorrowTimeout: 120, MaxConnectionsPercent: 100, MaxIdleConnectionsPercent: 50 },
    });
    expect(repaired).toMatchObject({ borrowTimeoutSeconds: 120, maxConnectionsPercent: 100, maxIdleConnectionsPercent: 50 });
  });

  it('sends only the pool settings that drifted', async () => {
    rds.on(ModifyDBProxyTargetGroupCommand).resolves({ DBProxyTargetGroup: group(120, 100, 50) });
    const drifted = { name: 'default', borrowTimeoutSeconds: 30, maxConnectionsPercent: 100, maxIdleConnectionsPercent: 50 };

    await targetGroupStep.converge!(ctx, drifted, await targetGroupStep.drift!(ctx, drifted));

    expect(rds.commandCalls(ModifyDBProxyTargetGroupCommand)[0]!.args[0].input.ConnectionPoolConfig).toEqual({
      ConnectionBorrowTimeout: 120,
    });
  });

  it('sets the pool on create, retrying while the new proxy has no target group yet', async () => {
    rds
      .on(ModifyDBProxyTargetGroupCommand)
      .rejectsOnce(new DBProxyTargetGroupNotFoundFault({ message: 'not found', $metadata: {} }))
      .resolves({ DBProxyTargetGroup: group(120, 100, 50) });

    const created = await targetGroupStep.create(ctx);

    expect(created.borrowTimeoutSeconds).toBe(120);
    expect(rds.commandCalls(ModifyDBProxyTargetGroupCommand)).toHaveLength(2);
  });

  it('deletes nothing on destroy', async () => {
    await targetGroupStep.destroy(ctx, { name: 'default' }, { finalSnapshot: false, forceDeleteSecret: false });

    expect(rds.calls()).toHaveLength(0);
  });

  it('summarises the pool settings', () => {
    const summary = targetGroupStep.summary({
      name: 'default',
      arn: GROUP_ARN,
      borrowTimeoutSeconds: 120,
      maxConnectionsPercent: 100,
      maxIdleConnectionsPercent: 50,
    });

    expect(summary).toEqual({
      id: 'default',
      arn: GROUP_ARN,
      state: 'borrow timeout 120 s, max connections 100 %, max idle 50 %',
    });
  });
});
