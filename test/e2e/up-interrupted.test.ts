import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from './support/cli.js';
import { useSandbox, type Sandbox } from './support/sandbox.js';
import { stackReads } from './support/stack-reads.js';

/** Resolves once the CLI has created the proxy: the run is then past its half-way mark. */
async function proxyCreated(sandbox: Sandbox, name: string): Promise<void> {
  const reads = stackReads(sandbox);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if ((await reads.proxyNames()).includes(name)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`proxy ${name} never appeared`);
}

describe('up interrupted', () => {
  const sandbox = useSandbox();
  const reads = stackReads(sandbox);

  it('rolls back what the run created on the first Ctrl-C and exits 130', async () => {
    const run = startCli(['up', '--name', 'ctrlc'], sandbox.env);
    await proxyCreated(sandbox, 'ctrlc-proxy');

    run.child.kill('SIGINT');
    const result = await run.done;

    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain('Press Ctrl-C again to exit now');
    expect(result.stderr).toContain('Rolled back');
    expect(await reads.proxyNames()).toEqual([]);
    expect(await reads.clusterIds()).toEqual([]);
    expect(await reads.securityGroupNames()).toEqual([]);
    const secret = await reads.secrets().send(new DescribeSecretCommand({ SecretId: 'rdsproxy-setup/ctrlc/master' }));
    expect(secret.DeletedDate).toBeInstanceOf(Date);
  });

  it('exits 130 at once on a second Ctrl-C', async () => {
    const run = startCli(['up', '--name', 'twice'], sandbox.env);
    await proxyCreated(sandbox, 'twice-proxy');

    run.child.kill('SIGINT');
    await run.waitForStderr(/Press Ctrl-C again/);
    run.child.kill('SIGINT');
    const result = await run.done;

    expect(result.code).toBe(130);
    expect(result.stderr).toContain('Exiting now');
  });

  it('finishes the stack without duplicates after being killed mid-run', async () => {
    const run = startCli(['up', '--name', 'killed'], sandbox.env);
    await proxyCreated(sandbox, 'killed-proxy');
    run.child.kill('SIGKILL');
    await run.done;

    // The killed run's lease is not stale yet: the user takes it over (docs/decisions.md).
    const resumed = await runCli(['up', '--name', 'killed', '--json', '--take-over-lease'], sandbox.env);

    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('Took over the lease of stack killed from run ');
    expect(await reads.clusterIds()).toEqual(['killed-cluster']);
    expect(await reads.proxyNames()).toEqual(['killed-proxy']);
    expect((await reads.securityGroupNames()).sort()).toEqual(['killed-cluster-sg', 'killed-proxy-sg']);
    expect(await reads.secretNames()).toEqual(['rdsproxy-setup/killed/master']);
    const { DBInstances } = await reads.rds().send(new DescribeDBInstancesCommand({}));
    expect(DBInstances!.map((i) => i.DBInstanceIdentifier)).toEqual(['killed-writer']);
  });
});
