import { ModifyDBClusterCommand, ModifyDBProxyTargetGroupCommand } from '@aws-sdk/client-rds';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { readAccountInventory } from './support/account-inventory.js';
import { changes } from './support/inventory-changes.js';
import { runCli } from './support/cli.js';
import { useSandbox } from './support/sandbox.js';
import { loggedCalls, stackReads, writeCalls } from './support/stack-reads.js';

type Row = { step: string; action: string; state: string };
const actions = (stdout: string) => Object.fromEntries((JSON.parse(stdout).resources as Row[]).map((r) => [r.step, r.action]));

describe('up on an existing stack', () => {
  const sandbox = useSandbox();
  const reads = stackReads(sandbox);
  const up = (stack: string, ...extra: string[]) => runCli(['up', '--name', stack, '--json', ...extra], sandbox.env);
  const inventory = () => readAccountInventory(sandbox);

  it('reports every resource as existing on a re-run and writes nothing', async () => {
    expect((await up('rerun')).code).toBe(0);
    const before = await inventory();

    const again = await up('rerun', '--verbose');

    expect(again.code, again.stderr).toBe(0);
    expect(Object.values(actions(again.stdout))).toEqual(Array(12).fill('exists'));
    expect(await inventory()).toEqual(before);
    expect(loggedCalls(again.stderr)).toEqual(
      expect.arrayContaining(['ec2.DescribeSecurityGroups', 'rds.DescribeDBClusters', 'rds.DescribeDBProxies']),
    );
    expect(writeCalls(again.stderr)).toEqual([]);
  });

  it('shows the plan with --dry-run on an empty account and writes nothing', async () => {
    const before = await inventory();

    const plan = await up('dry', '--dry-run', '--verbose');

    expect(plan.code, plan.stderr).toBe(0);
    expect(actions(plan.stdout)).toMatchObject({ network: 'exists', secret: 'planned', cluster: 'planned', proxy: 'planned' });
    expect(await inventory()).toEqual(before);
    expect(loggedCalls(plan.stderr)).toEqual(expect.arrayContaining(['ec2.DescribeVpcs', 'secretsmanager.DescribeSecret']));
    expect(writeCalls(plan.stderr)).toEqual([]);
    expect(await reads.clusterIds()).toEqual([]);
    expect(await reads.secretNames()).toEqual([]);
    expect(await reads.securityGroupNames()).toEqual([]);
  });

  it('puts back the pool settings someone changed by hand and reports the target group updated', async () => {
    await up('pool');
    const made = await inventory();
    await reads.rds().send(
      new ModifyDBProxyTargetGroupCommand({
        DBProxyName: 'pool-proxy',
        TargetGroupName: 'default',
        ConnectionPoolConfig: { MaxConnectionsPercent: 40, MaxIdleConnectionsPercent: 10, ConnectionBorrowTimeout: 30 },
      }),
    );
    const drifted = await inventory();

    const repaired = await up('pool');

    expect(actions(repaired.stdout)['target-group']).toBe('updated');
    const after = await inventory();
    const pool = ['proxyTargetGroups', 'pool-proxy/default', 'ConnectionPoolConfig'];
    expect(changes(drifted, after)).toEqual([
      { path: [...pool, 'ConnectionBorrowTimeout'], before: 30, after: 120 },
      { path: [...pool, 'MaxConnectionsPercent'], before: 40, after: 100 },
      { path: [...pool, 'MaxIdleConnectionsPercent'], before: 10, after: 50 },
    ]);
    expect(after).toEqual(made);
  });

  it('removes a CIDR rule added to the cluster security group and reports it updated', async () => {
    await up('sgrule');
    const { SecurityGroups } = await reads
      .ec2()
      .send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['sgrule-cluster-sg'] }] }));
    const clusterSg = SecurityGroups![0]!.GroupId!;
    const made = await inventory();
    await reads.ec2().send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: clusterSg,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    const drifted = await inventory();

    const repaired = await up('sgrule');

    expect(actions(repaired.stdout)['cluster-sg']).toBe('updated');
    const after = await inventory();
    expect(changes(drifted, after)).toEqual([
      {
        path: ['securityGroups', clusterSg, 'Ingress', 'tcp 5432 from 0.0.0.0/0'],
        before: { SecurityGroupRuleId: expect.stringMatching(/^sgr-/), Tags: {} },
        after: undefined,
      },
    ]);
    expect(Object.keys(after.securityGroups[clusterSg]!.Ingress!)).toEqual([expect.stringMatching(/^tcp 5432 from sg-/)]);
    expect(after).toEqual(made);
  });

  it('replaces the client rule it added when --client-cidr changes, and keeps a rule someone else added', async () => {
    await up('cidr');
    const { SecurityGroups } = await reads
      .ec2()
      .send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['cidr-proxy-sg'] }] }));
    const proxySg = SecurityGroups![0]!.GroupId!;
    await reads.ec2().send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: proxySg,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.9.0.0/16', Description: 'bastion' }] }],
      }),
    );
    const before = await inventory();

    const changed = await up('cidr', '--client-cidr', '10.20.0.0/24');

    expect(changed.code, changed.stderr).toBe(0);
    expect(actions(changed.stdout)['proxy-sg']).toBe('updated');
    const ingress = (await inventory()).securityGroups[proxySg]!.Ingress!;
    const vpcRule = Object.keys(before.securityGroups[proxySg]!.Ingress!).find((r) => r.startsWith('tcp 5432 from 172.'));
    expect(vpcRule).toBeDefined();
    expect(Object.keys(ingress).sort()).toEqual(['tcp 5432 from 10.20.0.0/24', 'tcp 5432 from 10.9.0.0/16']);
  });

  it('turns deletion protection back on and reports the cluster updated', async () => {
    await up('protect');
    const made = await inventory();
    await reads.rds().send(
      new ModifyDBClusterCommand({ DBClusterIdentifier: 'protect-cluster', DeletionProtection: false, ApplyImmediately: true }),
    );
    const drifted = await inventory();

    const repaired = await up('protect');

    expect(actions(repaired.stdout).cluster).toBe('updated');
    const after = await inventory();
    expect(changes(drifted, after)).toEqual([
      { path: ['clusters', 'protect-cluster', 'DeletionProtection'], before: false, after: true },
    ]);
    expect(after).toEqual(made);
  });

  it('stops with exit 1 and changes nothing when a resource has the stack name but not its tag', async () => {
    const { Vpcs } = await reads.ec2().send(new DescribeVpcsCommand({}));
    const defaultVpc = Vpcs!.find((v) => v.IsDefault)!.VpcId!;
    await reads.ec2().send(
      new CreateSecurityGroupCommand({ GroupName: 'taken-proxy-sg', Description: 'someone else', VpcId: defaultVpc }),
    );
    const before = await inventory();

    const result = await up('taken', '--verbose');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('taken-proxy-sg');
    expect(result.stderr).toContain('is not tagged rdsproxy-setup:stack=taken');
    expect(await inventory()).toEqual(before);
    expect(loggedCalls(result.stderr)).toContain('ec2.DescribeSecurityGroups');
    expect(writeCalls(result.stderr)).toEqual([]);
  });

  it('exits 2 before any write when the VPC has subnets in only one Availability Zone', async () => {
    const ec2 = reads.ec2();
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
    for (const cidr of ['10.20.1.0/24', '10.20.2.0/24']) {
      await ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId!, CidrBlock: cidr, AvailabilityZone: 'us-east-1a' }));
    }
    const before = await inventory();

    const result = await up('oneaz', '--vpc-id', Vpc!.VpcId!, '--verbose');

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Availability Zones?/);
    expect(result.stderr).toContain('us-east-1a');
    expect(await inventory()).toEqual(before);
    expect(loggedCalls(result.stderr)).toContain('ec2.DescribeSubnets');
    expect(writeCalls(result.stderr)).toEqual([]);
  });
});
