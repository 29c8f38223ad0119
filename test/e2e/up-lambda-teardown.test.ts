import { DescribeDBProxiesCommand, RDSClient } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { readAccountInventory, type AccountInventory } from './support/account-inventory.js';
import { runCli } from './support/cli.js';
import { createFunction, createGroup, createRole } from './support/client-fixtures.js';
import { startFaultProxy } from './support/fault-proxy.js';
import { changes } from './support/inventory-changes.js';
import { useSandbox } from './support/sandbox.js';

const DEFAULT_VPC_CIDR = '172.31.0.0/16';

describe('up --lambda, then teardown', () => {
  // Groups a function leaves stay in use 3 s, as Lambda releases its network interfaces slowly.
  const sandbox = useSandbox({ env: { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true', SANDBOX_ENI_RELEASE_SECONDS: '3' } });
  const cli = (...args: string[]) => runCli(args, sandbox.env);

  /** Two functions with settings of their own: one in no VPC, one in the default VPC with its group; their roles. */
  async function twoFunctions(): Promise<{ groupId: string }> {
    const inventory = await readAccountInventory(sandbox);
    const vpcId = Object.entries(inventory.vpcs).find(([, v]) => v.CidrBlock === DEFAULT_VPC_CIDR)![0];
    const subnetId = Object.entries(inventory.subnets).find(([, s]) => s.VpcId === vpcId)![0];
    const groupId = await createGroup(sandbox, 'f2-sg', vpcId);
    await createFunction(sandbox, 'f1', {
      roleArn: await createRole(sandbox, 'f1-role', { inline: { logs: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] } } }),
      environment: { LOG_LEVEL: 'debug', PGSSLMODE: 'require' },
    });
    await createFunction(sandbox, 'f2', {
      roleArn: await createRole(sandbox, 'f2-role', { eniPermissions: true }),
      vpc: { subnetIds: [subnetId], groupIds: [groupId] },
      environment: { PGAPPNAME: 'billing' },
    });
    return { groupId };
  }

  /** The functions, their roles and the group of the function that had one: what teardown must leave as they were. */
  const clientsOf = (inventory: AccountInventory, groupId: string) => ({
    functions: inventory.functions,
    roles: Object.fromEntries(Object.entries(inventory.roles).filter(([name]) => name.startsWith('f'))),
    group: inventory.securityGroups[groupId],
  });

  it('grants each function once the stack is up, and teardown revokes both before deleting the stack: they survive as they were', async () => {
    const { groupId } = await twoFunctions();
    const before = clientsOf(await readAccountInventory(sandbox), groupId);

    const up = await cli('up', '--name', 'pair', '--lambda', 'f1', '--lambda', 'f2', '--attach-vpc', '--json');

    expect(up.code, up.stderr).toBe(0);
    const document = JSON.parse(up.stdout) as { clients: { kind: string; name: string; user: string; checks: { status: string }[] }[] };
    expect(document.clients.map(({ kind, name, user }) => ({ kind, name, user }))).toEqual([
      { kind: 'lambda', name: 'f1', user: 'postgres' },
      { kind: 'lambda', name: 'f2', user: 'postgres' },
    ]);
    expect(document.clients.flatMap((c) => c.checks.filter((check) => check.status !== 'pass'))).toEqual([]);
    const status = JSON.parse((await cli('status', '--name', 'pair', '--json')).stdout) as { clients: { kind: string; name: string; user: string }[] };
    expect(status.clients.map(({ kind, name, user }) => ({ kind, name, user }))).toEqual([
      { kind: 'lambda', name: 'f1', user: 'postgres' },
      { kind: 'lambda', name: 'f2', user: 'postgres' },
    ]);

    const teardown = await cli('teardown', '--name', 'pair', '--yes', '--json');

    expect(teardown.code, teardown.stderr).toBe(0);
    expect(teardown.stderr).toContain('teardown will first revoke lambda f1 (database user postgres); it is not deleted');
    const after = await readAccountInventory(sandbox);
    expect(clientsOf(after, groupId)).toEqual(before);
    expect(Object.values(after.securityGroups).map((g) => g.GroupName)).not.toContain('pair-client-sg');
    expect((JSON.parse(teardown.stdout) as { deleted: { step: string }[] }).deleted.map((d) => d.step)).toContain('client-sg');
    expect(after.proxies).toEqual({});
  });

  it('refuses a function that does not exist before its first write', async () => {
    const before = await readAccountInventory(sandbox);

    const up = await cli('up', '--name', 'typo', '--lambda', 'no-such-function');

    expect(up.code).toBe(1);
    expect(up.stderr).toContain('Lambda function no-such-function (--lambda) does not exist in us-east-1.');
    expect(changes(before, await readAccountInventory(sandbox))).toEqual([]);
  });

  it('stops before deleting anything when a revoke fails, keeping the index of what is left to revoke', async () => {
    await twoFunctions();
    expect((await cli('up', '--name', 'stuck', '--lambda', 'f1', '--lambda', 'f2', '--attach-vpc')).code).toBe(0);
    const proxy = await startFaultProxy(sandbox.endpoint, sandbox.env);
    try {
      proxy.inject({ operation: 'UpdateFunctionConfiguration', fault: { kind: 'refuse', code: 'InternalFailure', message: 'injected' } });
      const before = await readAccountInventory(sandbox);

      const teardown = await runCli(['teardown', '--name', 'stuck', '--yes'], proxy.env);

      expect(teardown.code).toBe(1);
      expect(teardown.stderr).toContain('so teardown stopped before deleting anything');
      // The stack's lease is taken and given back around the one refused write.
      expect(proxy.writes().map((c) => c.operation)).toEqual(['PutParameter', 'UpdateFunctionConfiguration', 'DeleteParameter']);
      expect(changes(before, await readAccountInventory(sandbox))).toEqual([]);
      const { DBProxies } = await new RDSClient(sandbox.clientConfig).send(new DescribeDBProxiesCommand({}));
      expect(DBProxies!.map((p) => p.DBProxyName)).toEqual(['stuck-proxy']);
    } finally {
      await proxy.stop();
    }
    expect((await cli('teardown', '--name', 'stuck', '--yes')).code).toBe(0);
  });
});
