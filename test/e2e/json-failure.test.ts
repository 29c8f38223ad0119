import { CreateSecurityGroupCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { readAccountInventory } from './support/account-inventory.js';
import { runCli, startCli } from './support/cli.js';
import { useSandbox } from './support/sandbox.js';
import { stackReads } from './support/stack-reads.js';

/** The one JSON document a command printed on stdout (JSON.parse fails on two). */
const documentOf = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;

describe('a failing command with --json', () => {
  const sandbox = useSandbox();
  const reads = stackReads(sandbox);

  it('prints one error document and writes nothing when --client-sg names no group', async () => {
    const before = await readAccountInventory(sandbox);

    const result = await runCli(['up', '--name', 'badsg', '--client-sg', 'sg-0123456789abcdef0', '--json'], sandbox.env);

    expect(result.code, result.stderr).toBe(2);
    expect(documentOf(result.stdout)).toEqual({
      error: {
        code: 'InvalidInput',
        message: '--client-sg: security group sg-0123456789abcdef0 does not exist in us-east-1.',
      },
    });
    expect(await readAccountInventory(sandbox)).toEqual(before);
  });

  it('prints the error with its hint and no rollback when a name is taken before anything was created', async () => {
    const { Vpcs } = await reads.ec2().send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    await reads.ec2().send(
      new CreateSecurityGroupCommand({ GroupName: 'taken-proxy-sg', Description: 'not ours', VpcId: Vpcs![0]!.VpcId }),
    );

    const result = await runCli(['up', '--name', 'taken', '--json'], sandbox.env);

    expect(result.code, result.stderr).toBe(1);
    const document = documentOf(result.stdout);
    expect(document).toEqual({
      error: {
        code: 'ForeignResource',
        message: expect.stringContaining('is not tagged rdsproxy-setup:stack=taken'),
        hint: expect.stringContaining('Nothing was changed'),
      },
    });
  });

  it('reports what the rollback of an interrupted up deleted, each resource once and named as status names it', async () => {
    const run = startCli(['up', '--name', 'jsonint', '--json'], sandbox.env);
    await run.waitForStderr(/RDS proxy jsonint-proxy created/);

    run.child.kill('SIGINT');
    const result = await run.done;

    expect(result.code, result.stderr).toBe(130);
    const document = documentOf(result.stdout) as { error: { code: string }; rollback: { deleted: { step: string; id: string }[]; left: unknown[] } };
    expect(document.error.code).toBe('Interrupted');
    const steps = document.rollback.deleted.map((d) => d.step);
    expect(new Set(steps).size).toBe(steps.length);
    expect(steps).toEqual(expect.arrayContaining(['proxy', 'cluster', 'secret', 'role', 'proxy-sg', 'cluster-sg', 'subnet-group']));
    expect(steps).not.toContain('secret-host');
    expect(steps).not.toContain('target-group');
    expect(document.rollback.deleted).toContainEqual({ step: 'proxy', id: 'jsonint-proxy' });
    expect(document.rollback.deleted).toContainEqual({ step: 'cluster', id: 'jsonint-cluster' });
    expect(document.rollback.left).toEqual([]);
    expect(await reads.proxyNames()).toEqual([]);
  });
});
