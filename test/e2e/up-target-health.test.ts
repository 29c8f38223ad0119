import { DescribeDBProxyTargetsCommand } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useSandbox } from './support/sandbox.js';
import { loggedCalls, stackReads } from './support/stack-reads.js';

type Row = { step: string; id: string; action: string; state: string };
type HealthRow = { type: string; id: string; state: string };

/**
 * The sandbox reports a registered cluster as AWS does: a TRACKED_CLUSTER row without health and
 * one RDS_INSTANCE row per instance, REGISTERING on the first look and AVAILABLE after. So `up`
 * can only finish by judging the RDS_INSTANCE row.
 */
describe('target health judged on RDS_INSTANCE rows', () => {
  const sandbox = useSandbox();
  const reads = stackReads(sandbox);
  const cli = (...args: string[]) => runCli(args, sandbox.env);

  it('up waits while the writer row is REGISTERING and finishes once it is AVAILABLE', async () => {
    const result = await cli('up', '--name', 'health', '--json', '--verbose');

    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/waiting for the target of RDS proxy health-proxy: .*RDS_INSTANCE health-writer: REGISTERING/);
    const calls = loggedCalls(result.stderr);
    const afterRegister = calls.slice(calls.indexOf('rds.RegisterDBProxyTargets') + 1);
    expect(afterRegister.filter((c) => c === 'rds.DescribeDBProxyTargets').length).toBeGreaterThanOrEqual(2);
    const target = (JSON.parse(result.stdout).resources as Row[]).find((r) => r.step === 'target')!;
    expect(target).toMatchObject({ id: 'health-cluster', action: 'created' });
    expect(target.state).toContain('RDS_INSTANCE health-writer: AVAILABLE');
    const { Targets } = await reads.rds().send(new DescribeDBProxyTargetsCommand({ DBProxyName: 'health-proxy' }));
    expect(Targets).toContainEqual(
      expect.objectContaining({
        Type: 'RDS_INSTANCE',
        RdsResourceId: 'health-writer',
        TrackedClusterId: 'health-cluster',
        Role: 'READ_WRITE',
        TargetHealth: { State: 'AVAILABLE' },
      }),
    );
  });

  it('status --json lists the RDS_INSTANCE row of the writer next to the TRACKED_CLUSTER row', async () => {
    await cli('up', '--name', 'rows');

    const result = await cli('status', '--name', 'rows', '--json');

    expect(result.code, result.stderr).toBe(0);
    const health = JSON.parse(result.stdout).targetHealth as HealthRow[];
    expect(health.map((r) => `${r.type} ${r.id}`).sort()).toEqual(['RDS_INSTANCE rows-writer', 'TRACKED_CLUSTER rows-cluster']);
    expect(health).toContainEqual(expect.objectContaining({ type: 'RDS_INSTANCE', id: 'rows-writer', state: 'AVAILABLE' }));
  });
});
