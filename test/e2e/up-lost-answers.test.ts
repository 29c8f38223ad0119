import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { readAccountInventory } from './support/account-inventory.js';
import { runCli } from './support/cli.js';
import { useFaultProxy } from './support/fault-proxy.js';
import { resourceChanges } from './support/inventory-changes.js';
import { useSandbox, type Sandbox } from './support/sandbox.js';
import { stackReads } from './support/stack-reads.js';

/**
 * Every create call of `up`, by AWS operation; `after` skips that many calls of the operation
 * first (the cluster's security group is the second CreateSecurityGroup). PutParameter is the
 * create of the stack's lease.
 */
const CREATES: { create: string; operation: string; after?: number }[] = [
  { create: 'the lease', operation: 'PutParameter' },
  { create: 'the DB subnet group', operation: 'CreateDBSubnetGroup' },
  { create: 'the proxy security group', operation: 'CreateSecurityGroup' },
  { create: 'the cluster security group', operation: 'CreateSecurityGroup', after: 1 },
  { create: 'the secret', operation: 'CreateSecret' },
  { create: 'the cluster', operation: 'CreateDBCluster' },
  { create: 'the writer instance', operation: 'CreateDBInstance' },
  { create: 'the IAM role', operation: 'CreateRole' },
  { create: 'the proxy', operation: 'CreateDBProxy' },
  { create: 'the proxy target', operation: 'RegisterDBProxyTargets' },
];

async function leaseExists(sandbox: Sandbox, stack: string): Promise<boolean> {
  const ssm = new SSMClient(sandbox.clientConfig);
  try {
    await ssm.send(new GetParameterCommand({ Name: `/rdsproxy-setup/${stack}/lease` }));
    return true;
  } catch (err) {
    if ((err as Error).name === 'ParameterNotFound') return false;
    throw err;
  } finally {
    ssm.destroy();
  }
}

describe('up when AWS performed a create but its answer was lost', () => {
  const sandbox = useSandbox();
  const proxy = useFaultProxy(sandbox);

  it.each(CREATES)('completes when the answer to $create is lost once, and leaves no orphan', async ({ operation, after }) => {
    const before = await readAccountInventory(sandbox);
    proxy.inject({ operation, after, fault: { kind: 'drop' } });

    const up = await runCli(['up', '--name', 'lost'], proxy.env);

    expect(proxy.calls().filter((c) => c.fault === 'drop')).toEqual([{ operation, fault: 'drop' }]);
    expect(up.code, up.stderr).toBe(0);
    expect(await leaseExists(sandbox, 'lost')).toBe(false);
    // No orphan: removing the stack by its names gives back the account as it was.
    const teardown = await runCli(['teardown', '--name', 'lost', '--yes', '--skip-final-snapshot', '--force-delete-secret'], sandbox.env);
    expect(teardown.code, teardown.stderr).toBe(0);
    expect(await readAccountInventory(sandbox)).toEqual(before);
  });
});

describe('up when AWS performed a create and every answer to it was lost', () => {
  const sandbox = useSandbox();
  const proxy = useFaultProxy(sandbox);

  // The lease's create is left out: its renewals are PutParameter calls too.
  it.each(CREATES.filter((c) => c.operation !== 'PutParameter'))(
    'rolls back to the account before it, the resource of $create included',
    async ({ operation, after }) => {
      const before = await readAccountInventory(sandbox);
      proxy.inject({ operation, after, times: Infinity, fault: { kind: 'drop' } });

      const up = await runCli(['up', '--name', 'unanswered'], proxy.env);

      expect(up.code, up.stderr).toBe(1);
      expect(up.stderr).toContain('Rolled back');
      // What is left is the secret in its recovery window (the next `up` restores it): it needs no
      // other step, so it is made at once, whichever create is never answered.
      const { added, changed, removed } = resourceChanges(before, await readAccountInventory(sandbox));
      expect({ changed, removed }).toEqual({ changed: {}, removed: {} });
      expect(added).toEqual({ secrets: ['rdsproxy-setup/unanswered/master'] });
      const secret = await stackReads(sandbox).secrets().send(new DescribeSecretCommand({ SecretId: 'rdsproxy-setup/unanswered/master' }));
      expect(secret.DeletedDate).toBeInstanceOf(Date);
      expect(await leaseExists(sandbox, 'unanswered')).toBe(false);
    },
  );
});
