import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DBSubnetGroupNotFoundFault, DescribeDBSubnetGroupsCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CliError, ExitCode } from '../../../src/errors.js';
import { networkStep } from '../../../src/steps/network.js';
import { stepContext } from '../support/step-context.js';

const ec2 = mockClient(EC2Client);
const rds = mockClient(RDSClient);

const DEFAULT_VPC = { VpcId: 'vpc-0000000a', CidrBlock: '172.31.0.0/16', IsDefault: true };
const OTHER_VPC = { VpcId: 'vpc-0000000b', CidrBlock: '10.1.0.0/16' };
const subnet = (id: string, az: string, vpcId = DEFAULT_VPC.VpcId) => ({
  SubnetId: id,
  AvailabilityZone: az,
  VpcId: vpcId,
});

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

async function rejection(promise: Promise<unknown>): Promise<CliError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CliError);
  return err as CliError;
}

beforeEach(() => {
  ec2.reset();
  rds.reset();
});

describe('network step with no network options', () => {
  it('uses the default VPC and its subnets, spread over their zones', async () => {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [DEFAULT_VPC] });
    ec2.on(DescribeSubnetsCommand).resolves({
      Subnets: [
        subnet('subnet-00000003', 'us-east-1b'),
        subnet('subnet-00000001', 'us-east-1a'),
        subnet('subnet-00000002', 'us-east-1c'),
      ],
    });

    const network = await networkStep.find(stepContext());

    expect(network).toEqual({
      vpcId: 'vpc-0000000a',
      vpcCidr: '172.31.0.0/16',
      subnetIds: ['subnet-00000001', 'subnet-00000003', 'subnet-00000002'],
      availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    });
    expect(ec2.commandCalls(DescribeVpcsCommand)[0]!.args[0].input).toEqual({
      Filters: [{ Name: 'is-default', Values: ['true'] }],
    });
    expect(ec2.commandCalls(DescribeSubnetsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'vpc-id', Values: ['vpc-0000000a'] },
    ]);
  });

  it('reads every page of subnets', async () => {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [DEFAULT_VPC] });
    ec2
      .on(DescribeSubnetsCommand)
      .resolvesOnce({ Subnets: [subnet('subnet-00000001', 'us-east-1a')], NextToken: 'page-2' })
      .resolvesOnce({ Subnets: [subnet('subnet-00000002', 'us-east-1b')] });

    const network = await networkStep.find(stepContext());

    expect(network?.subnetIds).toEqual(['subnet-00000001', 'subnet-00000002']);
    expect(ec2.commandCalls(DescribeSubnetsCommand)[1]!.args[0].input.NextToken).toBe('page-2');
  });

  it('keeps at most 20 subnets and still covers every zone', async () => {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [DEFAULT_VPC] });
    const many = Array.from({ length: 30 }, (_, i) =>
      subnet(`subnet-${String(i).padStart(8, '0')}`, i < 28 ? 'us-east-1a' : i === 28 ? 'us-east-1b' : 'us-east-1c'),
    );
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: many });

    const network = await networkStep.find(stepContext());

    expect(network?.subnetIds).toHaveLength(20);
    expect(network?.subnetIds).toEqual(expect.arrayContaining(['subnet-00000028', 'subnet-00000029']));
    expect(network?.availabilityZones).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
  });

  it('fails with a hint to pass --vpc-id when the region has no default VPC', async () => {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] });

    const err = await rejection(networkStep.find(stepContext()));

    expect(err.message).toContain('no default VPC in us-east-1');
    expect(err.hint).toContain('--vpc-id');
  });

  it('rejects a VPC whose subnets are all in one zone with exit code 2, naming the zone', async () => {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [DEFAULT_VPC] });
    ec2.on(DescribeSubnetsCommand).resolves({
      Subnets: [subnet('subnet-00000001', 'us-east-1a'), subnet('subnet-00000002', 'us-east-1a')],
    });

    const err = await rejection(networkStep.find(stepContext()));

    expect(err.exitCode).toBe(ExitCode.usage);
    expect(err.message).toContain('the default VPC vpc-0000000a');
    expect(err.message).toContain('at least 2 Availability Zones; found only us-east-1a');
    expect(err.hint).toContain('--subnet-ids');
  });

  it('rejects a VPC without subnets with exit code 2', async () => {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [DEFAULT_VPC] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [] });

    const err = await rejection(networkStep.create(stepContext()));

    expect(err.exitCode).toBe(ExitCode.usage);
    expect(err.message).toContain('found no subnets at all');
  });
});

describe('network step with --vpc-id', () => {
  it('uses that VPC and its subnets', async () => {
    ec2.on(DescribeVpcsCommand, { VpcIds: ['vpc-0000000b'] }).resolves({ Vpcs: [OTHER_VPC] });
    ec2.on(DescribeSubnetsCommand).resolves({
      Subnets: [subnet('subnet-0000000c', 'us-east-1a', 'vpc-0000000b'), subnet('subnet-0000000d', 'us-east-1d', 'vpc-0000000b')],
    });

    const network = await networkStep.find(stepContext({ up: { vpcId: 'vpc-0000000b' } }));

    expect(network).toMatchObject({ vpcId: 'vpc-0000000b', vpcCidr: '10.1.0.0/16' });
    expect(ec2.commandCalls(DescribeSubnetsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'vpc-id', Values: ['vpc-0000000b'] },
    ]);
  });

  it('rejects a VPC that does not exist with exit code 2', async () => {
    ec2.on(DescribeVpcsCommand).rejects(awsError('InvalidVpcID.NotFound', "The vpc ID 'vpc-0000000b' does not exist"));

    const err = await rejection(networkStep.find(stepContext({ up: { vpcId: 'vpc-0000000b' } })));

    expect(err.exitCode).toBe(ExitCode.usage);
    expect(err.message).toBe('--vpc-id: VPC vpc-0000000b does not exist in us-east-1.');
  });
});

describe('network step with --client-sg', () => {
  beforeEach(() => {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [DEFAULT_VPC] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [subnet('subnet-00000001', 'us-east-1a'), subnet('subnet-00000002', 'us-east-1b')] });
  });

  it('accepts a group of the same VPC', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-0000000c', VpcId: DEFAULT_VPC.VpcId }] });

    const network = await networkStep.find(stepContext({ up: { clientSg: 'sg-0000000c' } }));

    expect(network?.vpcId).toBe(DEFAULT_VPC.VpcId);
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0]!.args[0].input).toEqual({ GroupIds: ['sg-0000000c'] });
  });

  it('rejects a group that does not exist with exit code 2, before anything is written', async () => {
    ec2.on(DescribeSecurityGroupsCommand).rejects(awsError('InvalidGroup.NotFound', "The security group 'sg-0000000c' does not exist"));

    const err = await rejection(networkStep.find(stepContext({ up: { clientSg: 'sg-0000000c' } })));

    expect(err.exitCode).toBe(ExitCode.usage);
    expect(err.message).toBe('--client-sg: security group sg-0000000c does not exist in us-east-1.');
  });

  it('rejects a group of another VPC with exit code 2', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-0000000c', VpcId: 'vpc-0000000b' }] });

    const err = await rejection(networkStep.find(stepContext({ up: { clientSg: 'sg-0000000c' } })));

    expect(err.exitCode).toBe(ExitCode.usage);
    expect(err.message).toBe("--client-sg: security group sg-0000000c is in vpc-0000000b, not in the stack's VPC vpc-0000000a.");
  });
});

describe('network step with --subnet-ids', () => {
  const up = { subnetIds: 'subnet-0000000d,subnet-0000000c' };

  it('uses exactly those subnets, in the order given, and their VPC', async () => {
    ec2.on(DescribeSubnetsCommand).resolves({
      Subnets: [subnet('subnet-0000000c', 'us-east-1a', 'vpc-0000000b'), subnet('subnet-0000000d', 'us-east-1b', 'vpc-0000000b')],
    });
    ec2.on(DescribeVpcsCommand, { VpcIds: ['vpc-0000000b'] }).resolves({ Vpcs: [OTHER_VPC] });

    const network = await networkStep.find(stepContext({ up }));

    expect(network).toEqual({
      vpcId: 'vpc-0000000b',
      vpcCidr: '10.1.0.0/16',
      subnetIds: ['subnet-0000000d', 'subnet-0000000c'],
      availabilityZones: ['us-east-1a', 'us-east-1b'],
    });
    expect(ec2.commandCalls(DescribeSubnetsCommand)[0]!.args[0].input).toMatchObject({
      SubnetIds: ['subnet-0000000d', 'subnet-0000000c'],
    });
  });

  it('rejects subnets that do not exist with exit code 2', async () => {
    ec2.on(DescribeSubnetsCommand).rejects(awsError('InvalidSubnetID.NotFound', "The subnet ID 'subnet-0000000d' does not exist"));

    const err = await rejection(networkStep.find(stepContext({ up })));

    expect(err.exitCode).toBe(ExitCode.usage);
    expect(err.message).toContain('--subnet-ids');
    expect(err.message).toContain("The subnet ID 'subnet-0000000d' does not exist");
  });

  it('rejects subnets of two different VPCs with exit code 2', async () => {
    ec2.on(DescribeSubnetsCommand).resolves({
      Subnets: [subnet('subnet-0000000c', 'us-east-1a', 'vpc-0000000b'), subnet('subnet-0000000d', 'us-east-1b', 'vpc-0000000a')],
    });

    const err = await rejection(networkStep.find(stepContext({ up })));

    expect(err.exitCode).toBe(ExitCode.usage);
    expect(err.message).toContain('different VPCs (subnet-0000000c in vpc-0000000b, subnet-0000000d in vpc-0000000a)');
  });

  it('rejects subnets outside the VPC given by --vpc-id with exit code 2', async () => {
    ec2.on(DescribeSubnetsCommand).resolves({
      Subnets: [subnet('subnet-0000000c', 'us-east-1a', 'vpc-0000000b'), subnet('subnet-0000000d', 'us-east-1b', 'vpc-0000000b')],
    });

    const err = await rejection(networkStep.find(stepContext({ up: { ...up, vpcId: 'vpc-0000000a' } })));

    expect(err.exitCode).toBe(ExitCode.usage);
    expect(err.message).toBe('--subnet-ids: the subnets are in vpc-0000000b, not in --vpc-id vpc-0000000a.');
  });

  it('rejects two subnets in the same zone with exit code 2, naming --subnet-ids and the zone', async () => {
    ec2.on(DescribeSubnetsCommand).resolves({
      Subnets: [subnet('subnet-0000000c', 'us-east-1f', 'vpc-0000000b'), subnet('subnet-0000000d', 'us-east-1f', 'vpc-0000000b')],
    });
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [OTHER_VPC] });

    const err = await rejection(networkStep.find(stepContext({ up })));

    expect(err.exitCode).toBe(ExitCode.usage);
    expect(err.message).toMatch(/^--subnet-ids: .*found only us-east-1f\.$/);
  });
});

describe('network step with --db-subnet-group', () => {
  const up = { dbSubnetGroup: 'shared-db-subnets' };

  it("uses that group's subnets and VPC", async () => {
    rds.on(DescribeDBSubnetGroupsCommand, { DBSubnetGroupName: 'shared-db-subnets' }).resolves({
      DBSubnetGroups: [
        {
          DBSubnetGroupName: 'shared-db-subnets',
          VpcId: 'vpc-0000000b',
          Subnets: [
            { SubnetIdentifier: 'subnet-0000000c', SubnetAvailabilityZone: { Name: 'us-east-1a' } },
            { SubnetIdentifier: 'subnet-0000000d', SubnetAvailabilityZone: { Name: 'us-east-1c' } },
          ],
        },
      ],
    });
    ec2.on(DescribeVpcsCommand, { VpcIds: ['vpc-0000000b'] }).resolves({ Vpcs: [OTHER_VPC] });

    const network = await networkStep.find(stepContext({ up }));

    expect(network).toEqual({
      vpcId: 'vpc-0000000b',
      vpcCidr: '10.1.0.0/16',
      subnetIds: ['subnet-0000000c', 'subnet-0000000d'],
      availabilityZones: ['us-east-1a', 'us-east-1c'],
    });
    expect(ec2.commandCalls(DescribeSubnetsCommand)).toHaveLength(0);
  });

  it('rejects a group that does not exist with exit code 2', async () => {
    rds
      .on(DescribeDBSubnetGroupsCommand)
      .rejects(new DBSubnetGroupNotFoundFault({ message: 'DBSubnetGroup not found', $metadata: {} }));

    const err = await rejection(networkStep.find(stepContext({ up })));

    expect(err.exitCode).toBe(ExitCode.usage);
    expect(err.message).toBe('--db-subnet-group: DB subnet group shared-db-subnets does not exist in us-east-1.');
  });
});

describe('network step teardown', () => {
  it('deletes nothing: the VPC and subnets are not ours', async () => {
    const ctx = stepContext();

    await networkStep.destroy(
      ctx,
      { vpcId: 'vpc-0000000a', vpcCidr: '172.31.0.0/16', subnetIds: [], availabilityZones: [] },
      { finalSnapshot: false, forceDeleteSecret: false },
    );

    expect(ec2.calls()).toHaveLength(0);
    expect(rds.calls()).toHaveLength(0);
    expect(networkStep.owned).toBe(false);
  });
});
