import {
  DescribeDBClustersCommand,
  DescribeDBProxyTargetGroupsCommand,
  ModifyDBClusterCommand,
  ModifyDBProxyTargetGroupCommand,
} from '@aws-sdk/client-rds';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useSandbox } from './support/sandbox.js';
import { stackReads, writeCalls } from './support/stack-reads.js';

type Row = { step: string; action: string; state: string };
const actions = (stdout: string) => Object.fromEntries((JSON.parse(stdout).resources as Row[]).map((r) => [r.step, r.action]));

describe('up on an existing stack', () => {
  const sandbox = useSandbox();
  const reads = stackReads(sandbox);
  const up = (stack: string, ...extra: string[]) => runCli(['up', '--name', stack, '--json', ...extra], sandbox.env);

  it('reports every resource as existing on a re-run and writes nothing', async () => {
    expect((await up('rerun')).code).toBe(0);

    const again = await up('rerun', '--verbose');

    expect(again.code, again.stderr).toBe(0);
    expect(Object.values(actions(again.stdout))).toEqual(Array(12).fill('exists'));
    expect(writeCalls(again.stderr)).toEqual([]);
  });

  it('shows the plan with --dry-run on an empty account and writes nothing', async () => {
    const plan = await up('dry', '--dry-run', '--verbose');

    expect(plan.code, plan.stderr).toBe(0);
    expect(actions(plan.stdout)).toMatchObject({ network: 'exists', secret: 'planned', cluster: 'planned', proxy: 'planned' });
    expect(writeCalls(plan.stderr)).toEqual([]);
    expect(await reads.clusterIds()).toEqual([]);
    expect(await reads.secretNames()).toEqual([]);
    expect(await reads.securityGroupNames()).toEqual([]);
  });

  it('puts back the pool settings someone changed by hand and reports the target group updated', async () => {
    await up('pool');
    await reads.rds().send(
      new ModifyDBProxyTargetGroupCommand({
        DBProxyName: 'pool-proxy',
        TargetGroupName: 'default',
        ConnectionPoolConfig: { MaxConnectionsPercent: 40, MaxIdleConnectionsPercent: 10, ConnectionBorrowTimeout: 30 },
      }),
    );

    const repaired = await up('pool');

    expect(actions(repaired.stdout)['target-group']).toBe('updated');
    const { TargetGroups } = await reads.rds().send(new DescribeDBProxyTargetGroupsCommand({ DBProxyName: 'pool-proxy' }));
    expect(TargetGroups![0]!.ConnectionPoolConfig).toMatchObject({
      ConnectionBorrowTimeout: 120,
      MaxConnectionsPercent: 100,
      MaxIdleConnectionsPercent: 50,
    });
  });

  it('removes a CIDR rule added to the cluster security group and reports it updated', async () => {
    await up('sgrule');
    const { SecurityGroups } = await reads
      .ec2()
      .send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['sgrule-cluster-sg'] }] }));
    const clusterSg = SecurityGroups![0]!.GroupId!;
    await reads.ec2().send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: clusterSg,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );

    const repaired = await up('sgrule');

    expect(actions(repaired.stdout)['cluster-sg']).toBe('updated');
    const { SecurityGroupRules } = await reads
      .ec2()
      .send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [clusterSg] }] }));
    const ingress = SecurityGroupRules!.filter((r) => !r.IsEgress);
    expect(ingress.map((r) => r.CidrIpv4 ?? r.ReferencedGroupInfo?.GroupId)).toEqual([expect.stringMatching(/^sg-/)]);
  });

  it('turns deletion protection back on and reports the cluster updated', async () => {
    await up('protect');
    await reads.rds().send(
      new ModifyDBClusterCommand({ DBClusterIdentifier: 'protect-cluster', DeletionProtection: false, ApplyImmediately: true }),
    );

    const repaired = await up('protect');

    expect(actions(repaired.stdout).cluster).toBe('updated');
    const { DBClusters } = await reads.rds().send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'protect-cluster' }));
    expect(DBClusters![0]!.DeletionProtection).toBe(true);
  });

  it('stops with exit 1 and changes nothing when a resource has the stack name but not its tag', async () => {
    const { Vpcs } = await reads.ec2().send(new DescribeVpcsCommand({}));
    const defaultVpc = Vpcs!.find((v) => v.IsDefault)!.VpcId!;
    await reads.ec2().send(
      new CreateSecurityGroupCommand({ GroupName: 'taken-proxy-sg', Description: 'someone else', VpcId: defaultVpc }),
    );

    const result = await up('taken', '--verbose');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('taken-proxy-sg');
    expect(result.stderr).toContain('is not tagged rdsproxy-setup:stack=taken');
    expect(writeCalls(result.stderr)).toEqual([]);
  });

  it('exits 2 before any write when the VPC has subnets in only one Availability Zone', async () => {
    const ec2 = reads.ec2();
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
    for (const cidr of ['10.20.1.0/24', '10.20.2.0/24']) {
      await ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId!, CidrBlock: cidr, AvailabilityZone: 'us-east-1a' }));
    }

    const result = await up('oneaz', '--vpc-id', Vpc!.VpcId!, '--verbose');

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Availability Zones?/);
    expect(result.stderr).toContain('us-east-1a');
    expect(writeCalls(result.stderr)).toEqual([]);
  });
});
