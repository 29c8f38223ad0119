import { DescribeDBInstancesCommand, type DBInstance } from '@aws-sdk/client-rds';
import { aws, unlessNotFound } from '../aws/errors.js';
import { waitUntilAvailable, waitUntilGone, type FailedState, type StatusModel } from './status-waiter.js';
import type { WaitContext } from './wait-context.js';

/** On the way to available: RDS is still working on the instance. */
const PENDING_AVAILABLE = new Set([
  'creating',
  'backing-up',
  'modifying',
  'resetting-master-credentials',
  'upgrading',
  'configuring-iam-database-auth',
  'configuring-enhanced-monitoring',
  'configuring-log-exports',
  'renaming',
  'maintenance',
  'rebooting',
  'starting',
  'storage-optimization',
]);

/** States an instance does not leave on its own; waiting on would only time out. */
const FAILED: Record<string, FailedState> = {
  failed: { explanation: 'RDS reports that creating or changing it failed.' },
  'inaccessible-encryption-credentials': {
    explanation: 'RDS cannot use the KMS key that encrypts its storage.',
    hint: 'Check that the KMS key is enabled and that RDS may use it (key policy, grants).',
  },
  'inaccessible-encryption-credentials-recoverable': {
    explanation: 'RDS cannot use the KMS key that encrypts its storage.',
    hint: 'Re-enable the KMS key or restore its grants, then run the command again.',
  },
  'incompatible-network': { explanation: 'it cannot be placed in its subnets (no free addresses or subnet gone).' },
  'incompatible-option-group': { explanation: 'its option group does not fit this engine.' },
  'incompatible-parameters': { explanation: 'its parameter group holds values this engine version rejects.' },
  'incompatible-restore': { explanation: 'RDS could not restore it.' },
  'insufficient-capacity': {
    explanation: 'AWS has no capacity for this instance class in its availability zone right now.',
    hint: 'Run the command again later, or give subnets in other availability zones.',
  },
  'restore-error': { explanation: 'RDS could not restore it.' },
  'storage-full': { explanation: 'its storage is full.' },
  stopping: {
    explanation: 'it is stopping, so it will not become available by itself.',
    hint: 'Start the cluster (aws rds start-db-cluster) and run the command again.',
  },
  stopped: {
    explanation: 'it is stopped, so it will not become available by itself.',
    hint: 'Start the cluster (aws rds start-db-cluster) and run the command again.',
  },
  deleting: {
    explanation: 'it is being deleted.',
    hint: 'Wait until the deletion has finished, then run the command again to build it anew.',
  },
};

/** Deleting, or still finishing what it did before the delete call. */
const PENDING_DELETED = new Set(['available', 'deleting', 'delete-precheck', 'backing-up', 'modifying']);

/** The instance by id, or undefined when there is none. */
export async function readInstance(ctx: Pick<WaitContext, 'clients'>, instanceId: string): Promise<DBInstance | undefined> {
  const rds = await ctx.clients.rds();
  const out = await unlessNotFound(() =>
    aws(`reading DB instance ${instanceId}`, () => rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: instanceId }))),
  );
  return out?.DBInstances?.[0];
}

function instanceModel(ctx: WaitContext, instanceId: string): StatusModel<DBInstance> {
  return {
    resource: { kind: 'instance', id: instanceId },
    what: `DB instance ${instanceId}`,
    read: () => readInstance(ctx, instanceId),
    status: (instance) => instance.DBInstanceStatus ?? 'unknown',
    pendingAvailable: PENDING_AVAILABLE,
    failed: (status) => FAILED[status],
    pendingDeleted: PENDING_DELETED,
  };
}

/** Polls until the instance is available and returns its description. */
export function waitForInstanceAvailable(ctx: WaitContext, instanceId: string): Promise<DBInstance> {
  return waitUntilAvailable(ctx, instanceModel(ctx, instanceId));
}

/** Polls until the instance is gone; not-found is the target. */
export function waitForInstanceDeleted(ctx: WaitContext, instanceId: string): Promise<void> {
  return waitUntilGone(ctx, instanceModel(ctx, instanceId));
}
