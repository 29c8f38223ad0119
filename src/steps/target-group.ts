import {
  DescribeDBProxyTargetGroupsCommand,
  ModifyDBProxyTargetGroupCommand,
  type DBProxyTargetGroup,
} from '@aws-sdk/client-rds';
import { aws, isErrorNamed, unlessNotFound } from '../aws/errors.js';
import { CliError } from '../errors.js';
import { readProxy } from '../waiters/proxy.js';
import { retryTransient } from '../waiters/retry.js';
import { DEFAULT_TARGET_GROUP } from '../waiters/target-health.js';
import type { TargetGroup } from './resources.js';
import type { Step, StepContext } from './step.js';

function title(proxyName: string): string {
  return `default target group of RDS proxy ${proxyName}`;
}

function toTargetGroup(g: DBProxyTargetGroup): TargetGroup {
  const pool = g.ConnectionPoolConfig;
  return {
    name: g.TargetGroupName ?? DEFAULT_TARGET_GROUP,
    arn: g.TargetGroupArn,
    borrowTimeoutSeconds: pool?.ConnectionBorrowTimeout,
    maxConnectionsPercent: pool?.MaxConnectionsPercent,
    maxIdleConnectionsPercent: pool?.MaxIdleConnectionsPercent,
  };
}

/** Sets the pool settings of `up` (DESIGN.md section 1); the group itself comes with the proxy. */
async function setPool(ctx: StepContext): Promise<TargetGroup> {
  const proxyName = ctx.names.proxy;
  const { borrowTimeoutSeconds, maxConnectionsPercent, maxIdleConnectionsPercent } = ctx.settings.pool;
  const rds = await ctx.clients.rds();
  const out = await retryTransient(
    () =>
      aws(`setting the connection pool of the ${title(proxyName)}`, () =>
        rds.send(
          new ModifyDBProxyTargetGroupCommand({
            DBProxyName: proxyName,
            TargetGroupName: DEFAULT_TARGET_GROUP,
            ConnectionPoolConfig: {
              ConnectionBorrowTimeout: borrowTimeoutSeconds,
              MaxConnectionsPercent: maxConnectionsPercent,
              MaxIdleConnectionsPercent: maxIdleConnectionsPercent,
            },
          }),
        ),
      ),
    {
      ...ctx.timing.retry,
      // Right after CreateDBProxy the default group may not be readable yet.
      isTransient: (err) => isErrorNamed(err, 'DBProxyTargetGroupNotFoundFault'),
      signal: ctx.signal,
      onRetry: () => ctx.progress(`waiting for the ${title(proxyName)} to appear`),
    },
  );
  if (!out.DBProxyTargetGroup) throw new CliError(`setting the pool of the ${title(proxyName)}: RDS returned no group.`);
  return toTargetGroup(out.DBProxyTargetGroup);
}

export const targetGroupStep: Step<'target-group'> = {
  id: 'target-group',
  title: 'connection pool',
  needs: ['proxy'],
  // The default target group is part of the proxy: it goes when the proxy goes.
  owned: false,

  async find(ctx) {
    const proxyName = ctx.names.proxy;
    const rds = await ctx.clients.rds();
    // Teardown looks even where the proxy is gone; the sandbox then answers 500, not not-found.
    if (!ctx.resources.proxy && !(await readProxy(rds, proxyName))) return undefined;
    const out = await unlessNotFound(() =>
      aws(`reading the ${title(proxyName)}`, () =>
        rds.send(new DescribeDBProxyTargetGroupsCommand({ DBProxyName: proxyName, TargetGroupName: DEFAULT_TARGET_GROUP })),
      ),
    );
    const group = out?.TargetGroups?.find((g) => g.TargetGroupName === DEFAULT_TARGET_GROUP);
    return group ? toTargetGroup(group) : undefined;
  },

  create: setPool,

  async drift(ctx, group) {
    const wanted = ctx.settings.pool;
    const drift: string[] = [];
    if (group.borrowTimeoutSeconds !== wanted.borrowTimeoutSeconds) {
      drift.push(
        `ConnectionBorrowTimeout is ${group.borrowTimeoutSeconds ?? 'unset'} s, wanted ${wanted.borrowTimeoutSeconds} s`,
      );
    }
    if (group.maxConnectionsPercent !== wanted.maxConnectionsPercent) {
      drift.push(
        `MaxConnectionsPercent is ${group.maxConnectionsPercent ?? 'unset'} %, wanted ${wanted.maxConnectionsPercent} %`,
      );
    }
    if (group.maxIdleConnectionsPercent !== wanted.maxIdleConnectionsPercent) {
      drift.push(
        `MaxIdleConnectionsPercent is ${group.maxIdleConnectionsPercent ?? 'unset'} %, wanted ${wanted.maxIdleConnectionsPercent} %`,
      );
    }
    return drift;
  },

  converge: (ctx) => setPool(ctx),

  async destroy() {
    // Nothing of its own to delete: deleting the proxy removes it.
  },

  manualDelete(ctx) {
    return `# nothing to delete: the default target group goes with RDS proxy ${ctx.names.proxy}`;
  },

  summary(group) {
    return {
      id: group.name,
      arn: group.arn,
      state: `borrow timeout ${group.borrowTimeoutSeconds ?? '?'} s, max connections ${group.maxConnectionsPercent ?? '?'} %, max idle ${group.maxIdleConnectionsPercent ?? '?'} %`,
    };
  },
};
