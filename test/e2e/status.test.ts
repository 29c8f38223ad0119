import { DeleteDBProxyCommand } from '@aws-sdk/client-rds';
import { DeleteSecretCommand } from '@aws-sdk/client-secrets-manager';
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

  it('shows what is missing from a half-deleted stack and how to finish it, and exits 1', async () => {
    await cli('up', '--name', 'half');
    await stackReads(sandbox).rds().send(new DeleteDBProxyCommand({ DBProxyName: 'half-proxy' }));

    const result = await cli('status', '--name', 'half');

    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/proxy\s+half-proxy\s+planned\s+missing/);
    expect(result.stdout).toMatch(/cluster\s+half-cluster\s+exists\s+available/);
    expect(result.stdout).toContain(
      'Stack half in us-east-1 is incomplete (3 of 11 resources missing: proxy half-proxy, target-group half-proxy, target half-proxy → half-cluster)',
    );
    expect(result.stdout).toContain('run `rdsproxy-setup up --name half`');
  });

  it('lists what is missing in --json, beside the resources, and exits 1', async () => {
    await cli('up', '--name', 'halfjson');
    await stackReads(sandbox).rds().send(new DeleteDBProxyCommand({ DBProxyName: 'halfjson-proxy' }));

    const result = await cli('status', '--name', 'halfjson', '--json');

    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.missing).toEqual([
      { step: 'proxy', id: 'halfjson-proxy', state: 'missing' },
      { step: 'target-group', id: 'halfjson-proxy', state: 'missing' },
      { step: 'target', id: 'halfjson-proxy → halfjson-cluster', state: 'missing' },
    ]);
    expect((report.resources as Row[]).find((r) => r.step === 'cluster')).toMatchObject({ action: 'exists', state: 'available' });
  });

  it('counts a secret scheduled for deletion as missing from an otherwise whole stack', async () => {
    await cli('up', '--name', 'nosecret');
    await stackReads(sandbox).secrets().send(new DeleteSecretCommand({ SecretId: 'rdsproxy-setup/nosecret/master', RecoveryWindowInDays: 7 }));

    const result = await cli('status', '--name', 'nosecret');

    expect(result.code, result.stderr).toBe(1);
    // The host inside a secret in its deletion window cannot be read, so it counts as missing too.
    expect(result.stdout).toContain(
      'Stack nosecret in us-east-1 is incomplete (1 of 11 resources missing: secret-host rdsproxy-setup/nosecret/master; secret rdsproxy-setup/nosecret/master is scheduled for deletion)',
    );
  });

  it('says the stack does not exist when nothing of it is there, and exits 1', async () => {
    const result = await cli('status', '--name', 'never');

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Stack never does not exist in us-east-1.');
  });

  it('says the stack does not exist after a teardown, which leaves only the secret in its recovery window, and exits 1', async () => {
    await cli('up', '--name', 'torn');
    expect((await cli('teardown', '--name', 'torn', '--yes')).code).toBe(0);

    const result = await cli('status', '--name', 'torn');

    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('Stack torn does not exist in us-east-1. Its secret rdsproxy-setup/torn/master is scheduled for deletion');
  });
});
