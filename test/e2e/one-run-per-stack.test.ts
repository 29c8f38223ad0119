import { hostname } from 'node:os';
import { DescribeDBInstancesCommand, DescribeDBProxyTargetsCommand, DescribeDBSubnetGroupsCommand } from '@aws-sdk/client-rds';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli, type CliResult, type CliRun } from './support/cli.js';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js';
import { useSandbox, type Sandbox } from './support/sandbox.js';
import { stackReads } from './support/stack-reads.js';

interface Holder {
  runId: string;
  command: string;
  host: string;
  pid: number;
  startedAt: string;
}

/** The stack's lease as AWS holds it (a separate read), or undefined when there is none. */
async function leaseOf(sandbox: Sandbox, stack: string): Promise<Holder | undefined> {
  const ssm = new SSMClient(sandbox.clientConfig);
  try {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: `/rdsproxy-setup/${stack}/lease` }));
    return JSON.parse(Parameter!.Value!) as Holder;
  } catch (err) {
    if ((err as Error).name === 'ParameterNotFound') return undefined;
    throw err;
  } finally {
    ssm.destroy();
  }
}

/** Resolves with the first run's lease once it holds it, and no sooner than 2 s after that run started. */
async function heldByFirst(sandbox: Sandbox, stack: string, started: number): Promise<Holder> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const holder = await leaseOf(sandbox, stack);
    if (holder) {
      await new Promise((r) => setTimeout(r, Math.max(0, started + 2_000 - Date.now())));
      return holder;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the first run never took the lease of ${stack}`);
}

/** What the second run prints about the first, by the lease AWS holds for it. */
function namesHolder(result: CliResult, stack: string, holder: Holder, first: CliRun): void {
  expect(result.stderr).toContain(
    `Error: Stack ${stack} is being changed by another run: run ${holder.runId} (${holder.command} on host ${hostname()}, pid ${first.child.pid}, started ${holder.startedAt})`,
  );
  expect(result.stderr).toContain('at once with --take-over-lease');
}

describe('one run per stack at a time', () => {
  const sandbox = useSandbox();
  const reads = stackReads(sandbox);
  /** The first run's way to AWS, where one of its calls is slowed down. */
  let first: FaultProxy;
  /** The second run's way to AWS, where its requests are counted. */
  let second: FaultProxy;

  /** Every resource of the stack, by separate reads. */
  async function expectCompleteStack(stack: string): Promise<void> {
    expect(await reads.clusterIds()).toEqual([`${stack}-cluster`]);
    expect(await reads.proxyNames()).toEqual([`${stack}-proxy`]);
    expect((await reads.securityGroupNames()).sort()).toEqual([`${stack}-cluster-sg`, `${stack}-proxy-sg`]);
    const { DBInstances } = await reads.rds().send(new DescribeDBInstancesCommand({}));
    expect(DBInstances!.map((i) => i.DBInstanceIdentifier)).toEqual([`${stack}-writer`]);
    const { DBSubnetGroups } = await reads.rds().send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: `${stack}-subnets` }));
    expect(DBSubnetGroups).toHaveLength(1);
    const secret = await reads.secrets().send(new DescribeSecretCommand({ SecretId: `rdsproxy-setup/${stack}/master` }));
    expect(secret.DeletedDate).toBeUndefined();
    const { Role } = await new IAMClient(sandbox.clientConfig).send(new GetRoleCommand({ RoleName: `rdsproxy-${stack}-${sandbox.clientConfig.region}` }));
    expect(Role?.RoleName).toBe(`rdsproxy-${stack}-${sandbox.clientConfig.region}`);
    const { Targets } = await reads.rds().send(new DescribeDBProxyTargetsCommand({ DBProxyName: `${stack}-proxy` }));
    expect(Targets!.length).toBeGreaterThan(0);
  }

  async function expectStatusComplete(stack: string): Promise<void> {
    const status = await runCli(['status', '--name', stack, '--json'], sandbox.env);
    expect(status.code, status.stderr).toBe(0);
    const { resources } = JSON.parse(status.stdout) as { resources: { step: string; action: string }[] };
    expect(resources.filter((r) => r.action !== 'exists')).toEqual([]);
  }

  beforeAll(async () => {
    first = await startFaultProxy(sandbox.endpoint, sandbox.env);
    second = await startFaultProxy(sandbox.endpoint, sandbox.env);
  });
  beforeEach(() => {
    first.clear();
    second.clear();
  });
  afterAll(async () => {
    await first.stop();
    await second.stop();
  });

  it('refuses a second up started 2 s after the first, before any write, naming the first; the first completes', async () => {
    first.inject({ operation: 'CreateSecurityGroup', fault: { kind: 'delay', ms: 6_000 } });
    const started = Date.now();
    const up = startCli(['up', '--name', 'twice'], first.env);
    const holder = await heldByFirst(sandbox, 'twice', started);

    const refused = await runCli(['up', '--name', 'twice'], second.env);
    const firstStillRunning = up.child.exitCode === null;

    expect(refused.code, refused.stderr).toBe(1);
    namesHolder(refused, 'twice', holder, up);
    expect(holder.command).toBe('up');
    expect(second.writes()).toEqual([]);
    expect(firstStillRunning).toBe(true);
    const done = await up.done;
    expect(done.code, done.stderr).toBe(0);
    await expectStatusComplete('twice');
    await expectCompleteStack('twice');
    expect(await leaseOf(sandbox, 'twice')).toBeUndefined();
  });

  it('refuses a teardown started 2 s after an up, before any write, naming the up; the up completes', async () => {
    first.inject({ operation: 'CreateSecurityGroup', fault: { kind: 'delay', ms: 6_000 } });
    const started = Date.now();
    const up = startCli(['up', '--name', 'racing'], first.env);
    const holder = await heldByFirst(sandbox, 'racing', started);

    const refused = await runCli(['teardown', '--name', 'racing', '--yes'], second.env);

    expect(refused.code, refused.stderr).toBe(1);
    namesHolder(refused, 'racing', holder, up);
    expect(second.writes()).toEqual([]);
    const done = await up.done;
    expect(done.code, done.stderr).toBe(0);
    await expectStatusComplete('racing');
    await expectCompleteStack('racing');
  });

  it('refuses a second teardown started 2 s after the first, before any write, naming the first; the first removes the stack', async () => {
    const built = await runCli(['up', '--name', 'gone'], sandbox.env);
    expect(built.code, built.stderr).toBe(0);
    first.inject({ operation: 'DeleteDBProxy', fault: { kind: 'delay', ms: 6_000 } });
    const started = Date.now();
    const teardown = startCli(['teardown', '--name', 'gone', '--yes', '--skip-final-snapshot', '--force-delete-secret'], first.env);
    const holder = await heldByFirst(sandbox, 'gone', started);

    const refused = await runCli(['teardown', '--name', 'gone', '--yes'], second.env);

    expect(refused.code, refused.stderr).toBe(1);
    namesHolder(refused, 'gone', holder, teardown);
    expect(holder.command).toBe('teardown');
    expect(second.writes()).toEqual([]);
    const done = await teardown.done;
    expect(done.code, done.stderr).toBe(0);
    expect(await reads.clusterIds()).toEqual([]);
    expect(await reads.proxyNames()).toEqual([]);
    expect(await reads.securityGroupNames()).toEqual([]);
    expect(await reads.secretNames()).toEqual([]);
    expect(await leaseOf(sandbox, 'gone')).toBeUndefined();
  });

  it('releases the lease when up fails and rolls back, and when the first Ctrl-C rolls it back', async () => {
    first.inject({ operation: 'CreateDBProxy', fault: { kind: 'refuse', code: 'InvalidParameterValue', message: 'no proxy today' } });
    const failed = await runCli(['up', '--name', 'failing'], first.env);
    first.clear();
    first.inject({ operation: 'CreateSecurityGroup', fault: { kind: 'delay', ms: 6_000 } });
    const interrupted = startCli(['up', '--name', 'stopped'], first.env);
    await heldByFirst(sandbox, 'stopped', Date.now());
    interrupted.child.kill('SIGINT');
    const stopped = await interrupted.done;

    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stderr).toContain('Rolled back');
    expect(await leaseOf(sandbox, 'failing')).toBeUndefined();
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(await leaseOf(sandbox, 'stopped')).toBeUndefined();
  });

  it('lets status and up --dry-run read a stack while another run holds it, taking no lease', async () => {
    first.inject({ operation: 'CreateSecurityGroup', fault: { kind: 'delay', ms: 6_000 } });
    const started = Date.now();
    const up = startCli(['up', '--name', 'busy'], first.env);
    const holder = await heldByFirst(sandbox, 'busy', started);

    const status = await runCli(['status', '--name', 'busy', '--json'], second.env);
    const dryRun = await runCli(['up', '--name', 'busy', '--dry-run'], second.env);

    expect(status.stderr).not.toContain('being changed by another run');
    expect((JSON.parse(status.stdout) as { stack: string }).stack, status.stderr).toBe('busy');
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(second.writes()).toEqual([]);
    expect(await leaseOf(sandbox, 'busy')).toEqual(holder);
    expect((await up.done).code).toBe(0);
  });

  it('keeps the lease of a run that was killed: the next up is refused naming it, and --take-over-lease takes it over', async () => {
    first.inject({ operation: 'CreateSecurityGroup', fault: { kind: 'delay', ms: 6_000 } });
    const killed = startCli(['up', '--name', 'crashed'], first.env);
    const holder = await heldByFirst(sandbox, 'crashed', Date.now());
    killed.child.kill('SIGKILL');
    await killed.done;

    const refused = await runCli(['up', '--name', 'crashed'], second.env);
    const resumed = await runCli(['up', '--name', 'crashed', '--take-over-lease'], sandbox.env);

    expect(refused.code).toBe(1);
    namesHolder(refused, 'crashed', holder, killed);
    expect(refused.stderr).toContain('taken over automatically once it has gone 2m00s without renewal');
    expect(second.writes()).toEqual([]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(
      `Took over the lease of stack crashed from run ${holder.runId} (up on host ${hostname()}, pid ${killed.child.pid}, started ${holder.startedAt}) because of --take-over-lease`,
    );
    await expectCompleteStack('crashed');
    expect(await leaseOf(sandbox, 'crashed')).toBeUndefined();
  });
});
