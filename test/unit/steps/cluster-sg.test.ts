import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ForeignResourceError } from '../../../src/errors.js';
import { clusterSgStep } from '../../../src/steps/cluster-sg.js';
import { stepContext, TEST_NETWORK } from '../support/step-context.js';

const ec2 = mockClient(EC2Client);
const PROXY_SG = { id: 'sg-0000000p', name: 'unit-stack-proxy-sg', vpcId: 'vpc-0000000a' };
const GROUP = { id: 'sg-0000000c', name: 'unit-stack-cluster-sg', vpcId: 'vpc-0000000a' };

const context = () => stepContext({ resources: { network: TEST_NETWORK, 'proxy-sg': PROXY_SG } });

const proxyRule = {
  SecurityGroupRuleId: 'sgr-0000proxy',
  IsEgress: false,
  IpProtocol: 'tcp',
  FromPort: 5432,
  ToPort: 5432,
  ReferencedGroupInfo: { GroupId: 'sg-0000000p' },
};
const openToWorld = {
  SecurityGroupRuleId: 'sgr-00000open',
  IsEgress: false,
  IpProtocol: 'tcp',
  FromPort: 5432,
  ToPort: 5432,
  CidrIpv4: '0.0.0.0/0',
};
const vpcCidrRule = { ...openToWorld, SecurityGroupRuleId: 'sgr-000000vpc', CidrIpv4: '172.31.0.0/16' };
const defaultEgress = { SecurityGroupRuleId: 'sgr-000egress', IsEgress: true, IpProtocol: '-1', CidrIpv4: '0.0.0.0/0' };

beforeEach(() => ec2.reset());

describe('cluster security group: find', () => {
  it('finds our group by its derived name in the VPC', async () => {
    ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: GROUP.id, Tags: [{ Key: 'rdsproxy-setup:stack', Value: 'unit-stack' }] }] });

    expect(await clusterSgStep.find(context())).toEqual(GROUP);
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0]!.args[0].input.Filters).toContainEqual({
      Name: 'group-name',
      Values: ['unit-stack-cluster-sg'],
    });
  });

  it('finds the group during teardown even when the proxy security group is already gone', async () => {
    ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: GROUP.id, Tags: [{ Key: 'rdsproxy-setup:stack', Value: 'unit-stack' }] }] });

    expect(await clusterSgStep.find(stepContext({ resources: { network: TEST_NETWORK } }))).toEqual(GROUP);
  });

  it('finds nothing when the group does not exist', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });

    expect(await clusterSgStep.find(context())).toBeUndefined();
  });

  it('stops on a group with our name that belongs to someone else', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: GROUP.id }] });

    await expect(clusterSgStep.find(context())).rejects.toBeInstanceOf(ForeignResourceError);
  });
});

describe('cluster security group: create', () => {
  it('allows PostgreSQL only from the proxy security group, never from a CIDR', async () => {
    ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: GROUP.id });
    ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });

    const group = await clusterSgStep.create(context());

    expect(group).toEqual(GROUP);
    expect(ec2.commandCalls(CreateSecurityGroupCommand)[0]!.args[0].input).toMatchObject({
      GroupName: 'unit-stack-cluster-sg',
      VpcId: 'vpc-0000000a',
    });
    const calls = ec2.commandCalls(AuthorizeSecurityGroupIngressCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    expect(input.GroupId).toBe(GROUP.id);
    expect(input.IpPermissions).toHaveLength(1);
    const permission = input.IpPermissions![0]!;
    expect(permission).toMatchObject({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432 });
    expect(permission.UserIdGroupPairs?.map((p) => p.GroupId)).toEqual(['sg-0000000p']);
    expect(permission.IpRanges).toBeUndefined();
    expect(permission.Ipv6Ranges).toBeUndefined();
  });
});

describe('cluster security group: drift', () => {
  it('reports nothing when the only ingress is from the proxy (egress does not count)', async () => {
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [proxyRule, defaultEgress] });

    expect(await clusterSgStep.drift!(context(), GROUP)).toEqual([]);
  });

  it('reports a rule someone added that opens the port to the internet', async () => {
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [proxyRule, openToWorld] });

    expect(await clusterSgStep.drift!(context(), GROUP)).toEqual([
      {
        field: 'ingress rule',
        ref: 'sgr-00000open',
        have: 'tcp 5432 from 0.0.0.0/0 (sgr-00000open)',
        want: 'absent (only the proxy may reach the cluster)',
      },
    ]);
  });

  it('reports the missing proxy rule and a CIDR rule in its place', async () => {
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [vpcCidrRule] });

    expect(await clusterSgStep.drift!(context(), GROUP)).toEqual([
      { field: 'ingress tcp/5432', have: 'missing', want: 'from security group sg-0000000p' },
      {
        field: 'ingress rule',
        ref: 'sgr-000000vpc',
        have: 'tcp 5432 from 172.31.0.0/16 (sgr-000000vpc)',
        want: 'absent (only the proxy may reach the cluster)',
      },
    ]);
  });
});

describe('cluster security group: converge', () => {
  beforeEach(() => {
    ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
    ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
  });

  it('revokes the extra rules by id and keeps the proxy rule', async () => {
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [proxyRule, openToWorld, vpcCidrRule] });

    const ctx = context();
    const group = await clusterSgStep.converge!(ctx, GROUP, await clusterSgStep.drift!(ctx, GROUP));

    expect(group).toEqual(GROUP);
    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand).map((c) => c.args[0].input)).toEqual([
      { GroupId: GROUP.id, SecurityGroupRuleIds: ['sgr-00000open', 'sgr-000000vpc'] },
    ]);
    expect(ec2.commandCalls(AuthorizeSecurityGroupIngressCommand)).toHaveLength(0);
  });

  it('adds the missing proxy rule before revoking the CIDR rule', async () => {
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [vpcCidrRule] });

    const ctx = context();
    await clusterSgStep.converge!(ctx, GROUP, await clusterSgStep.drift!(ctx, GROUP));

    const authorize = ec2.commandCalls(AuthorizeSecurityGroupIngressCommand);
    expect(authorize).toHaveLength(1);
    expect(authorize[0]!.args[0].input.IpPermissions![0]!.UserIdGroupPairs![0]!.GroupId).toBe('sg-0000000p');
    const order = ec2.calls().map((c) => c.args[0].constructor.name);
    expect(order.indexOf('AuthorizeSecurityGroupIngressCommand')).toBeLessThan(
      order.indexOf('RevokeSecurityGroupIngressCommand'),
    );
    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)[0]!.args[0].input.SecurityGroupRuleIds).toEqual([
      'sgr-000000vpc',
    ]);
  });
});

describe('cluster security group: destroy', () => {
  it('deletes the group by id', async () => {
    ec2.on(DeleteSecurityGroupCommand).resolves({});

    await clusterSgStep.destroy(context(), GROUP, { finalSnapshot: false, forceDeleteSecret: false });

    expect(ec2.commandCalls(DeleteSecurityGroupCommand)[0]!.args[0].input).toEqual({ GroupId: GROUP.id });
  });
});
