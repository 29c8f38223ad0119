import { CreateDBClusterCommand, DescribeDBProxiesCommand } from '@aws-sdk/client-rds';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, describe, expect, it } from 'vitest';
import { readAccountInventory } from './support/account-inventory.js';
import { runCli, startCli } from './support/cli.js';
import { useFaultProxy, type FaultProxy } from './support/fault-proxy.js';
import { resourceChanges } from './support/inventory-changes.js';
import { useSandbox } from './support/sandbox.js';
import { stackReads } from './support/stack-reads.js';

/** Resolves once the proxy has seen the operation, i.e. the CLI sent it. */
async function sent(proxy: FaultProxy, operation: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proxy.calls().some((c) => c.operation === operation)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${operation} was never sent; calls: ${proxy.calls().map((c) => c.operation).join(' ')}`);
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

/** How long each measured run took, printed once the file is done (for the notes). */
const measured: string[] = [];

describe('an AWS endpoint that hangs', () => {
  const sandbox = useSandbox();
  const reads = stackReads(sandbox);
  const proxy = useFaultProxy(sandbox);
  afterAll(() => {
    if (measured.length > 0) process.stderr.write(`hanging-endpoint timings:\n  ${measured.join('\n  ')}\n`);
  });

  it('makes status fail within 60 s with a timeout error naming the endpoint', async () => {
    proxy.inject({ operation: '*', fault: { kind: 'hang' }, times: Infinity });
    const started = Date.now();

    const result = await runCli(['status', '--name', 'stuck'], proxy.env);

    const elapsed = Date.now() - started;
    measured.push(`status, every call hanging: exit ${result.code} after ${elapsed} ms`);
    expect(result.code, result.stderr).toBe(1);
    expect(elapsed).toBeLessThan(60_000);
    expect(result.stderr).toMatch(/^Error: .*timed out: the AWS endpoint .* did not answer/m);
    expect(result.stderr).toContain(proxy.endpoint);
    expect(result.stderr).not.toMatch(/aws configure|get-caller-identity/);
  });

  it('makes doctor report the endpoint once, as the root cause, and skip every other check because of it', async () => {
    proxy.inject({ operation: '*', fault: { kind: 'hang' }, times: Infinity });
    const started = Date.now();

    const result = await runCli(['doctor', '--name', 'stuck', '--json'], proxy.env);

    measured.push(`doctor, every call hanging: exit ${result.code} after ${Date.now() - started} ms`);
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as { checks: { id: string; status: string; evidence: string; fix?: string }[] };
    const identity = report.checks.find((c) => c.id === 'account.identity')!;
    expect(identity.status).toBe('fail');
    expect(identity.evidence).toContain(`the AWS endpoint ${proxy.endpoint} did not answer`);
    expect(identity.fix).not.toMatch(/aws configure|get-caller-identity/);
    const others = report.checks.filter((c) => c.id !== 'account.identity');
    expect(others.filter((c) => c.status !== 'skip').map((c) => c.id)).toEqual([]);
    expect(others.filter((c) => `${c.evidence} ${c.fix ?? ''}`.includes(proxy.endpoint)).map((c) => c.id)).toEqual([]);
    expect(occurrences(identity.evidence, proxy.endpoint)).toBe(1);
  });

  it('lets up with a hanging CreateDBCluster exit 130 within 60 s of one Ctrl-C, leaving only the recoverable secret', async () => {
    const before = await readAccountInventory(sandbox);
    proxy.inject({ operation: 'CreateDBCluster', fault: { kind: 'hang' }, times: Infinity });
    const run = startCli(['up', '--name', 'hang'], proxy.env);
    await sent(proxy, 'CreateDBCluster');

    const signalled = Date.now();
    run.child.kill('SIGINT');
    const result = await run.done;

    const elapsed = Date.now() - signalled;
    measured.push(`up, CreateDBCluster hanging, one SIGINT: exit ${result.code} ${elapsed} ms after the signal`);
    expect(result.code, result.stderr).toBe(130);
    expect(elapsed).toBeLessThan(60_000);
    expect(result.stderr).toContain('Rolled back');
    expect(resourceChanges(before, await readAccountInventory(sandbox))).toEqual({
      added: { secrets: ['rdsproxy-setup/hang/master'] },
      changed: {},
      removed: {},
    });
    const secret = await reads.secrets().send(new DescribeSecretCommand({ SecretId: 'rdsproxy-setup/hang/master' }));
    expect(secret.DeletedDate).toBeInstanceOf(Date);
  });

  it('removes with the next teardown a cluster AWS creates after its create call was abandoned', async () => {
    proxy.inject({ operation: 'CreateDBCluster', fault: { kind: 'hang' }, times: Infinity });
    const run = startCli(['up', '--name', 'late'], proxy.env);
    await sent(proxy, 'CreateDBCluster');
    run.child.kill('SIGINT');
    expect((await run.done).code).toBe(130);
    // What AWS would have done with the abandoned call: the cluster, tagged as the call asked.
    await reads.rds().send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: 'late-cluster',
        Engine: 'aurora-postgresql',
        MasterUsername: 'postgres',
        MasterUserPassword: 'not-the-secret-1',
        DeletionProtection: true,
        Tags: [{ Key: 'rdsproxy-setup:stack', Value: 'late' }],
      }),
    );

    const teardown = await runCli(['teardown', '--name', 'late', '--yes'], sandbox.env);

    expect(teardown.code, teardown.stderr).toBe(0);
    expect(await reads.clusterIds()).toEqual([]);
  });

  it("stops teardown's deletions on a Ctrl-C while a delete hangs, lists what is left with the commands that remove it, and exits 130", async () => {
    expect((await runCli(['up', '--name', 'parting'], sandbox.env)).code).toBe(0);
    proxy.inject({ operation: 'DeleteDBProxy', fault: { kind: 'hang' }, times: Infinity });
    const run = startCli(['teardown', '--name', 'parting', '--yes', '--json'], proxy.env);
    await sent(proxy, 'DeleteDBProxy');

    const signalled = Date.now();
    run.child.kill('SIGINT');
    const result = await run.done;

    measured.push(`teardown, DeleteDBProxy hanging, one SIGINT: exit ${result.code} ${Date.now() - signalled} ms after the signal`);
    expect(result.code, result.stderr).toBe(130);
    const document = JSON.parse(result.stdout) as { error: { code: string }; left: { step: string; id: string; command: string }[] };
    expect(document.error.code).toBe('Interrupted');
    expect(document.left).toContainEqual(expect.objectContaining({ step: 'proxy', id: 'parting-proxy', command: expect.stringContaining('aws rds delete-db-proxy --db-proxy-name parting-proxy') }));
    expect(document.left.map((l) => l.step)).toEqual(expect.arrayContaining(['proxy', 'role', 'proxy-sg']));
    const { DBProxies } = await reads.rds().send(new DescribeDBProxiesCommand({ DBProxyName: 'parting-proxy' }));
    expect(DBProxies).toHaveLength(1);
  });

  it('stops a rollback on a Ctrl-C, lists what is left with the commands that remove it, and exits 130', async () => {
    proxy.inject({ operation: 'RegisterDBProxyTargets', fault: { kind: 'refuse', code: 'InvalidParameterValue', message: 'refused for the test' } });
    proxy.inject({ operation: 'DeleteDBProxy', fault: { kind: 'hang' }, times: Infinity });
    const run = startCli(['up', '--name', 'halt'], proxy.env);
    await run.waitForStderr(/Rolling back what this run created/);
    await sent(proxy, 'DeleteDBProxy');

    const signalled = Date.now();
    run.child.kill('SIGINT');
    const result = await run.done;

    measured.push(`up, rollback hanging on DeleteDBProxy, one SIGINT: exit ${result.code} ${Date.now() - signalled} ms after the signal`);
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain('Interrupted: stopping the rollback');
    expect(result.stderr).toMatch(/Could not undo proxy halt-proxy \(.*\)\. Remove it with: aws rds delete-db-proxy --db-proxy-name halt-proxy/);
    expect(result.stderr).toMatch(/Could not undo role rdsproxy-halt-us-east-1 .*Remove it with: /);
    expect(result.stderr).toContain('Interrupted: the rollback stopped');
    const { DBProxies } = await reads.rds().send(new DescribeDBProxiesCommand({ DBProxyName: 'halt-proxy' }));
    expect(DBProxies).toHaveLength(1);
  });
});
