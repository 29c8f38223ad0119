import { DescribeDBInstancesCommand, type DBInstance } from '@aws-sdk/client-rds';
import { aws, isNotFound } from '../aws/errors.js';
import type { StepContext } from '../steps/step.js';
import { formatElapsed, poll, type PollVerdict } from './poll.js';

/** What a resource waiter needs from the step context. */
export type WaitContext = Pick<StepContext, 'clients' | 'signal' | 'timing' | 'progress'>;

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
const FAILED: Record<string, { reason: string; hint?: string }> = {
  failed: { reason: 'RDS reports that creating or changing it failed.' },
  'inaccessible-encryption-credentials': {
    reason: 'RDS cannot use the KMS key that encrypts its storage.',
    hint: 'Check that the KMS key is enabled and that RDS may use it (key policy, grants).',
  },
  'inaccessible-encryption-credentials-recoverable': {
    reason: 'RDS cannot use the KMS key that encrypts its storage.',
    hint: 'Re-enable the KMS key or restore its grants, then run the command again.',
  },
  'incompatible-network': { reason: 'it cannot be placed in its subnets (no free addresses or subnet gone).' },
  'incompatible-option-group': { reason: 'its option group does not fit this engine.' },
  'incompatible-parameters': { reason: 'its parameter group holds values this engine version rejects.' },
  'incompatible-restore': { reason: 'RDS could not restore it.' },
  'insufficient-capacity': {
    reason: 'AWS has no capacity for this instance class in its availability zone right now.',
    hint: 'Run the command again later, or give subnets in other availability zones.',
  },
  'restore-error': { reason: 'RDS could not restore it.' },
  'storage-full': { reason: 'its storage is full.' },
  stopping: {
    reason: 'it is stopping, so it will not become available by itself.',
    hint: 'Start the cluster (aws rds start-db-cluster) and run the command again.',
  },
  stopped: {
    reason: 'it is stopped, so it will not become available by itself.',
    hint: 'Start the cluster (aws rds start-db-cluster) and run the command again.',
  },
  deleting: {
    reason: 'it is being deleted.',
    hint: 'Wait until the deletion has finished, then run the command again to build it anew.',
  },
};

/** Deleting, or still finishing what it did before the delete call. */
const PENDING_DELETED = new Set(['deleting', 'delete-precheck', 'backing-up', 'modifying']);

function instanceName(instanceId: string): string {
  return `DB instance ${instanceId}`;
}

async function describeInstance(ctx: WaitContext, instanceId: string): Promise<DBInstance | undefined> {
  const rds = await ctx.clients.rds();
  try {
    const out = await aws(`reading ${instanceName(instanceId)}`, () =>
      rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: instanceId })),
    );
    return out.DBInstances?.[0];
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

function reportPending(ctx: WaitContext, what: string) {
  return (status: string, elapsedMs: number) =>
    ctx.progress(`waiting for ${what}: ${status} (${formatElapsed(elapsedMs)})`);
}

function availableVerdict(instance: DBInstance | undefined): PollVerdict<DBInstance> {
  if (!instance) return { state: 'failed', status: 'gone', reason: 'it no longer exists.' };
  const status = instance.DBInstanceStatus ?? 'unknown';
  if (status === 'available') return { state: 'target', status, value: instance };
  if (PENDING_AVAILABLE.has(status)) return { state: 'pending', status, value: instance };
  const known = FAILED[status];
  if (known) return { state: 'failed', status, ...known };
  return { state: 'failed', status, reason: `"${status}" is not a state on the way to available.` };
}

/** Polls until the instance is available and returns its description. */
export function waitForInstanceAvailable(ctx: WaitContext, instanceId: string): Promise<DBInstance> {
  const what = instanceName(instanceId);
  return poll({
    ...ctx.timing.wait,
    what,
    signal: ctx.signal,
    onPending: reportPending(ctx, what),
    check: async () => availableVerdict(await describeInstance(ctx, instanceId)),
  });
}

/** Polls until the instance is gone; not-found is the target. */
export async function waitForInstanceDeleted(ctx: WaitContext, instanceId: string): Promise<void> {
  const what = instanceName(instanceId);
  await poll<true>({
    ...ctx.timing.wait,
    what,
    signal: ctx.signal,
    onPending: reportPending(ctx, `${what} to be deleted`),
    check: async () => {
      const instance = await describeInstance(ctx, instanceId);
      if (!instance) return { state: 'target', status: 'deleted', value: true };
      const status = instance.DBInstanceStatus ?? 'unknown';
      if (PENDING_DELETED.has(status)) return { state: 'pending', status };
      return { state: 'failed', status, reason: `"${status}" is not a state on the way to deleted.` };
    },
  });
}
