import { DescribeDBClustersCommand } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useSandbox } from './support/sandbox.js';
import { stackReads } from './support/stack-reads.js';
import { runInTerminal } from './support/terminal.js';

const PROMPT = /Type the stack name \(kept\) to delete it:/;

describe('teardown on a terminal', () => {
  const sandbox = useSandbox();
  const reads = stackReads(sandbox);
  const deletionProtection = async () =>
    (await reads.rds().send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'kept-cluster' }))).DBClusters![0]!
      .DeletionProtection;

  it('deletes nothing and leaves deletion protection on when the typed name does not match', async () => {
    await runCli(['up', '--name', 'kept'], sandbox.env);

    const { code, screen } = await runInTerminal(['teardown', '--name', 'kept'], sandbox.env, PROMPT, 'kpet');

    expect(code).toBe(1);
    expect(screen).toContain('Not confirmed: nothing was deleted.');
    expect(await reads.clusterIds()).toEqual(['kept-cluster']);
    expect(await deletionProtection()).toBe(true);
  });

  it('deletes the stack once the stack name is typed', async () => {
    await runCli(['up', '--name', 'kept'], sandbox.env);

    const { code, screen } = await runInTerminal(['teardown', '--name', 'kept'], sandbox.env, PROMPT, 'kept');

    expect(code, screen).toBe(0);
    expect(screen).toContain('Deleted 9 resources of stack kept.');
    expect(await reads.clusterIds()).toEqual([]);
  });
});
