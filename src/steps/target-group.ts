import {
  DescribeDBProxyTargetGroupsCommand,
  ModifyDBProxyTargetGroupCommand,
  type ConnectionPoolConfiguration,
  type DBProxyTargetGroup,
} from '@aws-sdk/client-rds';
import { aws, isErrorNamed, unlessNotFound } from '../aws/errors.js';
import { CliError } from '../errors.js';
import { retryTransient } from '../waiters/retry.js';
import { DEFAULT_TARGET_GROUP } from '../waiters/target-health.js';
import type { TargetGroup } from './resources.js';
import type { Step, BuildContext } from './step.js';

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

type PoolField = 'ConnectionBorrowTimeout' | 'MaxConnectionsPercent' | 'MaxIdleConnectionsPercent';

const POOL_FIELDS: readonly { field: PoolField; unit: string }[] = [
  { field: 'ConnectionBorrowTimeout', unit: 's' },
  { field: 'MaxConnectionsPercent', unit: '%' },
  { field: 'MaxIdleConnectionsPercent', unit: '%' },
];

/** The pool settings of `up` (DESIGN.md section 1). */
function wantedPool(ctx: BuildContext): Required<Pick<ConnectionPoolConfiguration, PoolField>> {
  const { borrowTimeoutSeconds, maxConnectionsPercent, maxIdleConnectionsPercent } = ctx.settings.pool;
  return {
    ConnectionBorrowTimeout: borrowTimeoutSeconds,
    MaxConnectionsPercent: maxConnectionsPercent,
    MaxIdleConnectionsPercent: maxIdleConnectionsPercent,
  };
}

/** Sets pool settings of the default target group; the group itself comes with the proxy. */
async function setPool(ctx: BuildContext, pool: ConnectionPoolConfiguration): Promise<TargetGroup> {
  const proxyName = ctx.names.proxy;
  const rds = await ctx.clients.rds();
  const out = await retryTransient(
    () =>
      aws(`setting the connection pool of the ${title(proxyName)}`, () =>
        rds.send(
          new ModifyDBProxyTargetGroupCommand({
            DBProxyName: proxyName,
            TargetGroupName: DEFAULT_TARGET_GROUP,
            ConnectionPoolConfig: pool,
          }),
        ),
      ),
    {
      ...ctx.timing.retry,
      // Right after CreateDBProxy the default group may not be readable yet.
      isTransient: (err) => isErrorNamed(err, 'DBProxyTargetGroupNotFoundFault'),
      signal: ctx.signal,
      onRetry: () => ctx.progress({ kind: 'retrying', what: title(proxyName), because: 'the new proxy has no target group yet' }),
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
  plannedId: (ctx) => ctx.names.proxy,

  async find(ctx) {
    const proxyName = ctx.names.proxy;
    const rds = await ctx.clients.rds();
    // Teardown looks even where the proxy is gone: DBProxyNotFoundFault then means nothing to find.
    const out = await unlessNotFound(() =>
      aws(`reading the ${title(proxyName)}`, () =>
        rds.send(new DescribeDBProxyTargetGroupsCommand({ DBProxyName: proxyName, TargetGroupName: DEFAULT_TARGET_GROUP })),
      ),
    );
    const group = out?.TargetGroups?.find((g) => g.TargetGroupName === DEFAULT_TARGET_GROUP);
    return group ? toTargetGroup(group) : undefined;
  },

  create: (ctx) => setPool(ctx, wantedPool(ctx)),

  async drift(ctx, group) {
    const wanted = wantedPool(ctx);
    const have: ConnectionPoolConfiguration = {
      ConnectionBorrowTimeout: group.borrowTimeoutSeconds,
      MaxConnectionsPercent: group.maxConnectionsPercent,
      MaxIdleConnectionsPercent: group.maxIdleConnectionsPercent,
    };
    return POOL_FIELDS.filter(({ field }) => have[field] !== wanted[field]).map(({ field, unit }) => ({
      field,
      have: `${have[field] ?? 'unset'} ${unit}`,
      want: `${wanted[field]} ${unit}`,
    }));
  },

  /** Sends only the changed members; RDS keeps the others as they are. */
  async converge(ctx, _group, changes) {
    const wanted = wantedPool(ctx);
    const pool: ConnectionPoolConfiguration = {};
    for (const { field } of POOL_FIELDS) if (changes.some((c) => c.field === field)) Object.assign(pool, { [field]: wanted[field] });
    return setPool(ctx, pool);
  },

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
