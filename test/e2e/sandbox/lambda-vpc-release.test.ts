import { CreateSecurityGroupCommand, DeleteSecurityGroupCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { useSandbox, type Sandbox } from '../support/sandbox.js';

// https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSecurityGroup.html

const EMPTY_ZIP = Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64');

/** A function in the default VPC with a group of its own, then taken out of the VPC; returns the group. */
async function functionLeavingItsVpc(sandbox: Sandbox): Promise<string> {
  const ec2 = new EC2Client(sandbox.clientConfig);
  const vpcId = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0]!.VpcId!;
  const subnet = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Subnets![0]!.SubnetId!;
  const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'fn', Description: 'function', VpcId: vpcId }))).GroupId!;
  const { Role } = await new IAMClient(sandbox.clientConfig).send(
    new CreateRoleCommand({
      RoleName: 'fn-role',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    }),
  );
  const lambda = new LambdaClient(sandbox.clientConfig);
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'api',
      Runtime: 'nodejs20.x',
      Role: Role!.Arn,
      Handler: 'index.handler',
      Code: { ZipFile: EMPTY_ZIP },
      VpcConfig: { SubnetIds: [subnet], SecurityGroupIds: [groupId] },
    }),
  );
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'api', VpcConfig: { SubnetIds: [], SecurityGroupIds: [] } }));
  return groupId;
}

describe('the security group a function leaves, while its network interfaces are released', () => {
  const sandbox = useSandbox({ env: { SANDBOX_ENI_RELEASE_SECONDS: '30' } });

  it('cannot be deleted yet: DependencyViolation', async () => {
    const groupId = await functionLeavingItsVpc(sandbox);

    const refused = await new EC2Client(sandbox.clientConfig).send(new DeleteSecurityGroupCommand({ GroupId: groupId })).catch((e: unknown) => e);

    expect(refused).toMatchObject({ name: 'DependencyViolation' });
  });
});

describe('the security group a function leaves, by default', () => {
  const sandbox = useSandbox();

  it('can be deleted at once, as moto has it', async () => {
    const groupId = await functionLeavingItsVpc(sandbox);

    const ec2 = new EC2Client(sandbox.clientConfig);
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }));

    await expect(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).rejects.toMatchObject({ name: 'InvalidGroup.NotFound' });
  });
});
