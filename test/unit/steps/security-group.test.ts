import type { Progress } from '../../../src/waiters/progress.js';
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
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CliError, ForeignResourceError, InterruptedError } from '../../../src/errors.js';
import {
  authorizePostgresIngress,
  createSecurityGroupWithIngress,
  deleteSecurityGroup,
  describeRule,
  findSecurityGroup,
  ingressRules,
  revokeIngressRules,
} from '../../../src/steps/security-group.js';
import type { BuildContext } from '../../../src/steps/step.js';
import { stepContext, TEST_RUN_ID } from '../support/step-context.js';

const ec2 = mockClient(EC2Client);
const GROUP = { id: 'sg-00000001', name: 'unit-stack-proxy-sg', vpcId: 'vpc-0000000a' };
const OUR_TAGS = [{ Key: 'rdsproxy-setup:stack', Value: 'unit-stack' }];

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

beforeEach(() => ec2.reset());

describe('finding a security group', () => {
  it('looks it up by name within the VPC and returns it when it carries our tag', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [{ GroupId: 'sg-00000001', GroupName: GROUP.name, VpcId: GROUP.vpcId, Tags: OUR_TAGS }],
    });

    const found = await findSecurityGroup(stepContext(), GROUP.name, GROUP.vpcId);

    expect(found).toEqual(GROUP);
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'group-name', Values: [GROUP.name] },
      { Name: 'vpc-id', Values: [GROUP.vpcId] },
    ]);
  });

  it('looks in every VPC when it does not know the VPC (status, teardown) and takes the tagged group', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        { GroupId: 'sg-0000000f', GroupName: GROUP.name, VpcId: 'vpc-0000000b', Tags: [] },
        { GroupId: 'sg-00000001', GroupName: GROUP.name, VpcId: GROUP.vpcId, Tags: OUR_TAGS },
      ],
    });

    const found = await findSecurityGroup(stepContext(), GROUP.name, undefined);

    expect(found).toEqual(GROUP);
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'group-name', Values: [GROUP.name] },
    ]);
  });

  it('returns undefined when no group has the name', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });

    expect(await findSecurityGroup(stepContext(), GROUP.name, GROUP.vpcId)).toBeUndefined();
  });

  it('reads which run created the group from its run tag', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [{ GroupId: GROUP.id, GroupName: GROUP.name, VpcId: GROUP.vpcId, Tags: [...OUR_TAGS, { Key: 'rdsproxy-setup:run', Value: 'run-that-made-it' }] }],
    });

    expect(await findSecurityGroup(stepContext(), GROUP.name, GROUP.vpcId)).toEqual({ ...GROUP, runId: 'run-that-made-it' });
  });

  it("refuses a group with our name but another stack's tag", async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        { GroupId: 'sg-00000001', GroupName: GROUP.name, Tags: [{ Key: 'rdsproxy-setup:stack', Value: 'other' }] },
      ],
    });

    const err = await findSecurityGroup(stepContext(), GROUP.name, GROUP.vpcId).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ForeignResourceError);
    expect((err as Error).message).toContain('unit-stack-proxy-sg (sg-00000001)');
  });
});

describe('creating a security group', () => {
  const FROM_VPC = { cidr: '172.31.0.0/16' };

  it('creates it in the VPC, tagged with the stack and named, with its PostgreSQL rule', async () => {
    ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-00000001' });
    ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({});

    const group = await createSecurityGroupWithIngress(stepContext(), GROUP.name, GROUP.vpcId, 'clients to RDS Proxy', FROM_VPC);

    expect(group).toEqual(GROUP);
    expect(ec2.commandCalls(CreateSecurityGroupCommand)[0]!.args[0].input).toEqual({
      GroupName: GROUP.name,
      Description: 'clients to RDS Proxy',
      VpcId: GROUP.vpcId,
      TagSpecifications: [
        {
          ResourceType: 'security-group',
          Tags: [
            { Key: 'rdsproxy-setup:stack', Value: 'unit-stack' },
            { Key: 'rdsproxy-setup:run', Value: TEST_RUN_ID },
            { Key: 'Name', Value: GROUP.name },
          ],
        },
      ],
    });
    expect(ec2.commandCalls(AuthorizeSecurityGroupIngressCommand)[0]!.args[0].input.GroupId).toBe('sg-00000001');
  });

  it('deletes the new group again when its rule is refused, so nothing is left that rollback does not know', async () => {
    ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-00000001' });
    ec2.on(AuthorizeSecurityGroupIngressCommand).rejects(awsError('InvalidGroup.NotFound', "The security group 'sg-0badbad0' does not exist"));
    ec2.on(DeleteSecurityGroupCommand).resolves({});

    const err = await createSecurityGroupWithIngress(stepContext(), GROUP.name, GROUP.vpcId, 'clients', { groupId: 'sg-0badbad0' }).catch(
      (e: unknown) => e,
    );

    expect((err as Error).message).toContain("The security group 'sg-0badbad0' does not exist");
    expect(ec2.commandCalls(DeleteSecurityGroupCommand)[0]!.args[0].input).toEqual({ GroupId: 'sg-00000001' });
  });

  it('names the command that removes the new group when deleting it fails too', async () => {
    ec2.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-00000001' });
    ec2.on(AuthorizeSecurityGroupIngressCommand).rejects(awsError('InvalidGroup.NotFound', 'no such source group'));
    ec2.on(DeleteSecurityGroupCommand).rejects(awsError('UnauthorizedOperation', 'not allowed'));

    const err = await createSecurityGroupWithIngress(stepContext(), GROUP.name, GROUP.vpcId, 'clients', { groupId: 'sg-0badbad0' }).catch(
      (e: unknown) => e,
    );

    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).message).toContain('no such source group');
    expect((err as CliError).hint).toContain('aws ec2 delete-security-group --group-id sg-00000001 --region us-east-1');
  });
});

describe('ingress rules', () => {
  it('lists only ingress rules, from every page', async () => {
    ec2
      .on(DescribeSecurityGroupRulesCommand)
      .resolvesOnce({
        SecurityGroupRules: [{ SecurityGroupRuleId: 'sgr-1', IsEgress: true, IpProtocol: '-1' }],
        NextToken: 'next',
      })
      .resolvesOnce({
        SecurityGroupRules: [{ SecurityGroupRuleId: 'sgr-2', IsEgress: false, IpProtocol: 'tcp' }],
      });

    const rules = await ingressRules(stepContext(), GROUP);

    expect(rules.map((r) => r.SecurityGroupRuleId)).toEqual(['sgr-2']);
    expect(ec2.commandCalls(DescribeSecurityGroupRulesCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'group-id', Values: ['sg-00000001'] },
    ]);
  });

  it('describes a rule by protocol, port and source', () => {
    expect(
      describeRule({ SecurityGroupRuleId: 'sgr-9', IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, CidrIpv4: '0.0.0.0/0' }),
    ).toBe('tcp 5432 from 0.0.0.0/0 (sgr-9)');
    expect(
      describeRule({ SecurityGroupRuleId: 'sgr-8', IpProtocol: '-1', ReferencedGroupInfo: { GroupId: 'sg-00000009' } }),
    ).toBe('all traffic from security group sg-00000009 (sgr-8)');
  });

  it('treats an identical rule that already exists as authorized', async () => {
    ec2
      .on(AuthorizeSecurityGroupIngressCommand)
      .rejects(awsError('InvalidPermission.Duplicate', 'the specified rule already exists'));

    await expect(authorizePostgresIngress(stepContext(), GROUP, { cidr: '10.0.0.0/16' })).resolves.toBeUndefined();
  });

  it('revokes rules by their ids', async () => {
    ec2.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true });

    await revokeIngressRules(stepContext(), GROUP, ['sgr-1', 'sgr-2']);

    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)[0]!.args[0].input).toEqual({
      GroupId: 'sg-00000001',
      SecurityGroupRuleIds: ['sgr-1', 'sgr-2'],
    });
  });

  it('still removes the other rules when one was already removed by someone else', async () => {
    ec2
      .on(RevokeSecurityGroupIngressCommand)
      .rejectsOnce(awsError('InvalidSecurityGroupRuleId.NotFound', "The security group rule ID 'sgr-1' does not exist"))
      .resolves({ Return: true });
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({
      SecurityGroupRules: [{ SecurityGroupRuleId: 'sgr-2', GroupId: 'sg-00000001', IsEgress: false, IpProtocol: 'tcp' }],
    });

    await revokeIngressRules(stepContext(), GROUP, ['sgr-1', 'sgr-2']);

    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand).map((c) => c.args[0].input.SecurityGroupRuleIds)).toEqual([
      ['sgr-1', 'sgr-2'],
      ['sgr-2'],
    ]);
  });

  it('is done when every rule it was to remove is already gone', async () => {
    ec2
      .on(RevokeSecurityGroupIngressCommand)
      .rejects(awsError('InvalidSecurityGroupRuleId.NotFound', "The security group rule ID 'sgr-1' does not exist"));
    ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [] });

    await expect(revokeIngressRules(stepContext(), GROUP, ['sgr-1'])).resolves.toBeUndefined();
    expect(ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(1);
  });
});

describe('deleting a security group', () => {
  /** Real-world timing (minutes) under fake timers, so the bound is what a user would get. */
  function slowContext(progress: Progress[], signal?: AbortSignal): BuildContext {
    const ctx = stepContext({ progress: (t) => progress.push(t), signal });
    return { ...ctx, timing: { ...ctx.timing, retry: { timeoutMs: 5 * 60_000, minDelayMs: 5_000, maxDelayMs: 15_000 } } };
  }

  afterEach(() => {
    vi.useRealTimers();
  });

  it('deletes the group by id', async () => {
    ec2.on(DeleteSecurityGroupCommand).resolves({});

    await deleteSecurityGroup(stepContext(), GROUP);

    expect(ec2.commandCalls(DeleteSecurityGroupCommand)[0]!.args[0].input).toEqual({ GroupId: 'sg-00000001' });
  });

  it('counts a group that is already gone as deleted', async () => {
    ec2.on(DeleteSecurityGroupCommand).rejects(awsError('InvalidGroup.NotFound', "The security group 'sg-00000001' does not exist"));

    await expect(deleteSecurityGroup(stepContext(), GROUP)).resolves.toBeUndefined();
  });

  it('retries while the group is still in use, saying what it waits for, then succeeds', async () => {
    vi.useFakeTimers();
    const progress: Progress[] = [];
    ec2
      .on(DeleteSecurityGroupCommand)
      .rejectsOnce(awsError('DependencyViolation', 'resource sg-00000001 has a dependent object'))
      .rejectsOnce(awsError('DependencyViolation', 'resource sg-00000001 has a dependent object'))
      .resolves({});

    const deletion = deleteSecurityGroup(slowContext(progress), GROUP);
    await vi.runAllTimersAsync();
    await deletion;

    expect(ec2.commandCalls(DeleteSecurityGroupCommand)).toHaveLength(3);
    expect(progress).toHaveLength(2);
    expect(progress[0]).toEqual({
      kind: 'retrying',
      what: 'security group unit-stack-proxy-sg (sg-00000001)',
      because: 'still in use (network interfaces of the deleted proxy or cluster are released slowly)',
    });
  });

  it('gives up after the retry bound with the command to delete it by hand', async () => {
    vi.useFakeTimers();
    ec2.on(DeleteSecurityGroupCommand).rejects(awsError('DependencyViolation', 'resource sg-00000001 has a dependent object'));

    const deletion = deleteSecurityGroup(slowContext([]), GROUP).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    const err = await deletion;

    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).message).toBe(
      'security group unit-stack-proxy-sg (sg-00000001) is still in use after 5m00s of retrying.',
    );
    expect((err as CliError).hint).toContain('aws ec2 delete-security-group --group-id sg-00000001 --region us-east-1');
    expect(ec2.commandCalls(DeleteSecurityGroupCommand).length).toBeGreaterThan(10);
  });

  it('stops retrying when the run is interrupted', async () => {
    vi.useFakeTimers();
    const abort = new AbortController();
    ec2.on(DeleteSecurityGroupCommand).rejects(awsError('DependencyViolation', 'in use'));

    const deletion = deleteSecurityGroup(slowContext([], abort.signal), GROUP).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1);
    abort.abort();
    const err = await deletion;

    expect(err).toBeInstanceOf(InterruptedError);
    expect(ec2.commandCalls(DeleteSecurityGroupCommand)).toHaveLength(1);
  });

  it('passes any other error on, saying what it was doing', async () => {
    ec2.on(DeleteSecurityGroupCommand).rejects(awsError('UnauthorizedOperation', 'You are not authorized'));

    const err = await deleteSecurityGroup(stepContext(), GROUP).catch((e: unknown) => e);

    expect((err as CliError).message).toBe(
      'deleting security group unit-stack-proxy-sg (sg-00000001): You are not authorized',
    );
    expect(ec2.commandCalls(DeleteSecurityGroupCommand)).toHaveLength(1);
  });
});
