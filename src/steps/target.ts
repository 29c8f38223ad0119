import { DeregisterDBProxyTargetsCommand, RegisterDBProxyTargetsCommand } from '@aws-sdk/client-rds';
import { aws, isErrorNamed, isNotFound, unlessNotFound } from '../aws/errors.js';
import { retryTransient } from '../waiters/retry.js';
import {
  DEFAULT_TARGET_GROUP,
  describeProxyTargets,
  summarizeTargetHealth,
  toHealthRow,
  waitForTargetHealth,
} from '../waiters/target-health.js';
import type { TargetHealthRow } from './resources.js';
import type { Step, ReadContext } from './step.js';

/** The cluster's id; derived from the stack name, so teardown finds the target without the cluster. */
function clusterId(ctx: ReadContext): string {
  return ctx.resources.cluster?.id ?? ctx.names.cluster;
}

function isOurCluster(row: TargetHealthRow, id: string): boolean {
  return row.type === 'TRACKED_CLUSTER' && row.id === id;
}

/**
 * RDS refuses to register a cluster whose writer instance is still being created, and any
 * registration while the proxy itself is still being created or changed.
 */
function isNotReadyYet(err: unknown): boolean {
  return isErrorNamed(err, 'InvalidDBInstanceStateFault', 'InvalidDBClusterStateFault', 'InvalidDBProxyStateFault');
}

export const targetStep: Step<'target'> = {
  id: 'target',
  title: 'proxy target',
  needs: ['proxy', 'cluster', 'instance'],
  owned: true,
  plannedId: (ctx) => `${ctx.names.proxy} → ${ctx.names.cluster}`,

  async find(ctx) {
    const id = clusterId(ctx);
    const rds = await ctx.clients.rds();
    // Teardown looks even where the proxy is gone: DBProxyNotFoundFault then means nothing to find.
    const rows = await unlessNotFound(() => describeProxyTargets(rds, ctx.names.proxy));
    return rows?.some((r) => isOurCluster(r, id)) ? { clusterId: id, rows } : undefined;
  },

  async create(ctx) {
    const id = clusterId(ctx);
    const proxyName = ctx.names.proxy;
    const rds = await ctx.clients.rds();
    const out = await retryTransient(
      () =>
        aws(`registering Aurora cluster ${id} with RDS proxy ${proxyName}`, () =>
          rds.send(
            // Aurora targets are clusters: the proxy then follows the writer through failovers.
            new RegisterDBProxyTargetsCommand({
              DBProxyName: proxyName,
              TargetGroupName: DEFAULT_TARGET_GROUP,
              DBClusterIdentifiers: [id],
            }),
          ),
        ),
      {
        ...ctx.timing.retry,
        isTransient: isNotReadyYet,
        signal: ctx.signal,
        onRetry: () => ctx.progress({ kind: 'retrying', what: `registering Aurora cluster ${id}`, because: 'the cluster or the proxy is not ready for it yet' }),
      },
    );
    return { clusterId: id, rows: (out.DBProxyTargets ?? []).map(toHealthRow) };
  },

  async wait(ctx, target) {
    return { clusterId: target.clusterId, rows: await waitForTargetHealth(ctx, ctx.names.proxy) };
  },

  async destroy(ctx, target) {
    const proxyName = ctx.names.proxy;
    const rds = await ctx.clients.rds();
    try {
      await aws(`deregistering Aurora cluster ${target.clusterId} from RDS proxy ${proxyName}`, () =>
        rds.send(
          new DeregisterDBProxyTargetsCommand({
            DBProxyName: proxyName,
            TargetGroupName: DEFAULT_TARGET_GROUP,
            DBClusterIdentifiers: [target.clusterId],
          }),
        ),
      );
    } catch (err) {
      // The proxy, its target group or the registration is already gone: nothing left to undo.
      if (isNotFound(err)) return;
      throw err;
    }
  },

  manualDelete(ctx, target) {
    return (
      `aws rds deregister-db-proxy-targets --db-proxy-name ${ctx.names.proxy} ` +
      `--db-cluster-identifiers ${target.clusterId} --region ${ctx.config.region}`
    );
  },

  summary(target) {
    return { id: target.clusterId, state: summarizeTargetHealth(target.rows) };
  },
};
