import { DeleteDBProxyCommand } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useSandbox } from './support/sandbox.js';
import { stackReads } from './support/stack-reads.js';

type Row = { step: string; id: string; action: string; state: string };

describe('status', () => {
  const sandbox = useSandbox();
  const cli = (...args: string[]) => runCli(args, sandbox.env);

  it('lists every resource of a complete stack with its state, the target health and the outputs', async () => {
    await cli('up', '--name', 'seen');

    const result = await cli('status', '--name', 'seen', '--json');

    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    const rows = report.resources as Row[];
    expect(rows.every((r) => r.action === 'exists')).toBe(true);
    expect(rows.find((r) => r.step === 'cluster')).toMatchObject({ id: 'seen-cluster', state: 'available' });
    expect(rows.find((r) => r.step === 'proxy')).toMatchObject({ id: 'seen-proxy', state: 'available' });
    expect(report.targetHealth).toContainEqual(expect.objectContaining({ type: 'TRACKED_CLUSTER', id: 'seen-cluster' }));
    expect(report.targetHealth).toContainEqual(
      expect.objectContaining({ type: 'RDS_INSTANCE', id: 'seen-writer', state: 'AVAILABLE' }),
    );
    expect(report.outputs.proxyResourceId).toMatch(/^prx-/);
  });

  it('shows what is missing from a half-deleted stack and how to finish it', async () => {
    await cli('up', '--name', 'half');
    await stackReads(sandbox).rds().send(new DeleteDBProxyCommand({ DBProxyName: 'half-proxy' }));

    const result = await cli('status', '--name', 'half');

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/proxy\s+half-proxy\s+planned\s+missing/);
    expect(result.stdout).toMatch(/cluster\s+half-cluster\s+exists\s+available/);
    expect(result.stdout).toContain('run `rdsproxy-setup up --name half`');
  });

  it('says the stack does not exist when nothing of it is there', async () => {
    const result = await cli('status', '--name', 'never');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Stack never does not exist in us-east-1.');
  });
});
