import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
  RevokeSecurityGroupIngressCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RawUpOptions } from '../../../src/config/up-config.js';
import { ForeignResourceError } from '../../../src/errors.js';
import { proxySgStep } from '../../../src/steps/proxy-sg.js';
import { stepContext, TEST_NETWORK } from '../support/step-context.js';

const ec2 = mockClient(EC2Client);
const GROUP = { id: 'sg-0000000p', name: 'unit-stack-proxy-sg', vpcId: 'vpc-0000000a' };

const context = (up: RawUpOptions = {}) => stepContext({ up, resources: { network: TEST_NETWORK } });

function authorizedPermissions() {
  return ec2.commandCalls(AuthorizeSecurityGroupIngressCommand).map((c) => c.args[0].input);
}

beforeEach(() => ec2.reset());

describe('proxy security group: find', () => {
  it('finds our group by its derived name in the resolved VPC', async () => {
    ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: GROUP.id, Tags: [{ Key: 'rdsproxy-setup:stack', Value: 'unit-stack' }] }] });

    expect(await proxySgStep.find(context())).toEqual(GROUP);
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'group-name', Values: ['unit-stack-proxy-sg'] },
      { Name: 'vpc-id', Values: ['vpc-0000000a'] },
    ]);
  });

  it('finds nothing when the group does not exist', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });

    expect(await proxySgStep.find(context())).toBeUndefined();
  });

  it('stops on an untagged group with our name', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: GROUP.id, Tags: [] }] });

    await expect(proxySgStep.find(context())).rejects.toBeInstanceOf(ForeignResourceError);
  });
});

describe('proxy security group: create', () => {
  beforeEach(() => {
    ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: GROUP.id });
    ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
  });

  it('creates the group in the VPC and lets the whole VPC CIDR reach PostgreSQL by default', async () => {
    const group = await proxySgStep.create(context());

    expect(group).toEqual(GROUP);
    expect(ec2.commandCalls(CreateSecurityGroupCommand)[0]!.args[0].input).toMatchObject({
      GroupName: 'unit-stack-proxy-sg',
      VpcId: 'vpc-0000000a',
    });
    expect(authorizedPermissions()).toEqual([
      {
        GroupId: GROUP.id,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 5432,
            ToPort: 5432,
            IpRanges: [{ CidrIp: '172.31.0.0/16', Description: 'rdsproxy-setup unit-stack: PostgreSQL' }],
          },
        ],
      },
    ]);
  });

  it('allows only the client security group (SG to SG) when --client-sg is given', async () => {
    await proxySgStep.create(context({ clientSg: 'sg-0000000c' }));

    const [permission] = authorizedPermissions()[0]!.IpPermissions!;
    expect(permission).toMatchObject({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432 });
    expect(permission!.UserIdGroupPairs).toEqual([
      { GroupId: 'sg-0000000c', Description: 'rdsproxy-setup unit-stack: PostgreSQL' },
    ]);
    expect(permission!.IpRanges).toBeUndefined();
  });

  it('allows only the given range when --client-cidr is given', async () => {
    await proxySgStep.create(context({ clientCidr: '10.20.0.0/24' }));

    const [permission] = authorizedPermissions()[0]!.IpPermissions!;
    expect(permission!.IpRanges).toEqual([{ CidrIp: '10.20.0.0/24', Description: 'rdsproxy-setup unit-stack: PostgreSQL' }]);
  });
});

describe('proxy security group: drift', () => {
  const vpcRule = {
    SecurityGroupRuleId: 'sgr-00000001',
    IsEgress: false,
    IpProtocol: 'tcp',
    FromPort: 5432,
    ToPort: 5432,
    CidrIpv4: '172.31.0.0/16',
  };

  it('reports nothing when the wanted rule is there', async () => {
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [vpcRule] });

    expect(await proxySgStep.drift!(context(), GROUP)).toEqual([]);
  });

  it('reports the missing client rule after it was removed', async () => {
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({
      SecurityGroupRules: [{ ...vpcRule, FromPort: 22, ToPort: 22 }],
    });

    expect(await proxySgStep.drift!(context(), GROUP)).toEqual([
      { field: 'ingress tcp/5432', have: 'missing', want: 'from 172.31.0.0/16' },
    ]);
  });

  it('reports the rule for a newly given --client-sg as missing', async () => {
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [vpcRule] });

    expect(await proxySgStep.drift!(context({ clientSg: 'sg-0000000c' }), GROUP)).toEqual([
      { field: 'ingress tcp/5432', have: 'missing', want: 'from security group sg-0000000c' },
    ]);
  });

  it('reports the rule it added for the old --client-cidr once another one is given, and no rule of anyone else', async () => {
    const ours = { ...vpcRule, Description: 'rdsproxy-setup unit-stack: PostgreSQL' };
    const someoneElses = { ...vpcRule, SecurityGroupRuleId: 'sgr-00000002', CidrIpv4: '10.9.0.0/16', Description: 'bastion' };
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [ours, someoneElses] });

    expect(await proxySgStep.drift!(context({ clientCidr: '10.20.0.0/24' }), GROUP)).toEqual([
      { field: 'ingress tcp/5432', have: 'missing', want: 'from 10.20.0.0/24' },
      {
        field: 'ingress rule',
        ref: 'sgr-00000001',
        have: 'tcp 5432 from 172.31.0.0/16 (sgr-00000001)',
        want: 'absent (added by this tool for a client source no longer given)',
      },
    ]);
  });

  it('adds the new client rule before it removes the one it replaces', async () => {
    const ours = { ...vpcRule, Description: 'rdsproxy-setup unit-stack: PostgreSQL' };
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [ours] });
    ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
    ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });
    const ctx = context({ clientCidr: '10.20.0.0/24' });

    await proxySgStep.converge!(ctx, GROUP, await proxySgStep.drift!(ctx, GROUP));

    const writes = ec2.calls().map((c) => c.args[0].constructor.name).filter((n) => !n.startsWith('Describe'));
    expect(writes).toEqual(['AuthorizeSecurityGroupIngressCommand', 'RevokeSecurityGroupIngressCommand']);
    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)[0]!.args[0].input.SecurityGroupRuleIds).toEqual(['sgr-00000001']);
  });

  it('converges by adding the missing rule', async () => {
    ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });

    const missing = { field: 'ingress tcp/5432', have: 'missing', want: 'from 172.31.0.0/16' };
    const group = await proxySgStep.converge!(context(), GROUP, [missing]);

    expect(group).toEqual(GROUP);
    expect(authorizedPermissions()[0]!.IpPermissions![0]!.IpRanges![0]!.CidrIp).toBe('172.31.0.0/16');
  });
});

describe('proxy security group: destroy', () => {
  it('deletes the group and counts an already deleted one as success', async () => {
    ec2.on(DeleteSecurityGroupCommand).rejects(Object.assign(new Error('gone'), { name: 'InvalidGroup.NotFound' }));

    await expect(
      proxySgStep.destroy(context(), GROUP, { finalSnapshot: false, forceDeleteSecret: false }),
    ).resolves.toBeUndefined();
    expect(ec2.commandCalls(DeleteSecurityGroupCommand)[0]!.args[0].input).toEqual({ GroupId: GROUP.id });
  });

  it('gives the manual delete command', () => {
    expect(proxySgStep.manualDelete(context(), GROUP)).toBe(
      'aws ec2 delete-security-group --group-id sg-0000000p --region us-east-1',
    );
  });
});
