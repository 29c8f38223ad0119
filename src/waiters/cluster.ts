import { DescribeDBClustersCommand, type DBCluster } from '@aws-sdk/client-rds';
import { aws, unlessNotFound } from '../aws/errors.js';
import { waitUntilAvailable, waitUntilGone, type FailedState, type StatusModel } from './status-waiter.js';
import type { WaitContext } from './wait-context.js';

/** On the way to available: RDS is still working on the cluster. */
const PENDING_AVAILABLE = new Set([
  'creating',
  'backing-up',
  'modifying',
  'resetting-master-credentials',
  'upgrading',
  'configuring-iam-database-auth',
  'update-iam-db-auth',
  'renaming',
  'maintenance',
  'failing-over',
  'rebooting',
  'starting',
  'storage-optimization',
  'migrating',
  'promoting',
  'backtracking',
]);

/** States a cluster does not leave on its own; waiting on would only time out. */
const FAILED: Record<string, FailedState> = {
  'inaccessible-encryption-credentials': {
    explanation: 'RDS cannot use the KMS key that encrypts its storage.',
    hint: 'Check that the KMS key is enabled and that RDS may use it (key policy, grants).',
  },
  'inaccessible-encryption-credentials-recoverable': {
    explanation: 'RDS cannot use the KMS key that encrypts its storage.',
    hint: 'Re-enable the KMS key or restore its grants, then run the command again.',
  },
  'incompatible-network': { explanation: 'the cluster cannot be placed in its subnets (no free addresses or subnet gone).' },
  'incompatible-parameters': { explanation: 'its parameter group holds values this engine version rejects.' },
  'incompatible-restore': { explanation: 'RDS could not restore it.' },
  'cloning-failed': { explanation: 'the clone could not be created.' },
  'migration-failed': { explanation: 'the migration into it failed.' },
  failed: { explanation: 'RDS reports that creating or changing it failed.' },
  stopping: {
    explanation: 'it is stopping, so it will not become available by itself.',
    hint: 'Start it (aws rds start-db-cluster) and run the command again.',
  },
  stopped: {
    explanation: 'it is stopped, so it will not become available by itself.',
    hint: 'Start it (aws rds start-db-cluster) and run the command again.',
  },
  deleting: {
    explanation: 'it is being deleted.',
    hint: 'Wait until the deletion has finished, then run the command again to build it anew.',
  },
};

/**
 * Deleting, or still finishing what it did before the delete call (a final snapshot, a modify);
 * right after the call a read may still say available (as Terraform's deletion waiter allows).
 */
const PENDING_DELETED = new Set(['available', 'deleting', 'backing-up', 'modifying']);

/** The cluster by id, or undefined when there is none. */
export async function readCluster(ctx: Pick<WaitContext, 'clients'>, clusterId: string): Promise<DBCluster | undefined> {
  const rds = await ctx.clients.rds();
  const out = await unlessNotFound(() =>
    aws(`reading Aurora cluster ${clusterId}`, () => rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }))),
  );
  return out?.DBClusters?.[0];
}

function clusterModel(ctx: WaitContext, clusterId: string): StatusModel<DBCluster> {
  return {
    resource: { kind: 'cluster', id: clusterId },
    what: `Aurora cluster ${clusterId}`,
    read: () => readCluster(ctx, clusterId),
    status: (cluster) => cluster.Status ?? 'unknown',
    pendingAvailable: PENDING_AVAILABLE,
    failed: (status) => FAILED[status],
    pendingDeleted: PENDING_DELETED,
  };
}

/** Polls until the cluster is available and returns its description. */
export function waitForClusterAvailable(ctx: WaitContext, clusterId: string): Promise<DBCluster> {
  return waitUntilAvailable(ctx, clusterModel(ctx, clusterId));
}

/** Polls until the cluster is gone; not-found is the target. */
export function waitForClusterDeleted(ctx: WaitContext, clusterId: string): Promise<void> {
  return waitUntilGone(ctx, clusterModel(ctx, clusterId));
}
