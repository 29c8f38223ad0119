import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../support/sandbox.js';

// https://docs.aws.amazon.com/lambda/latest/api/API_VpcConfigResponse.html

const EMPTY_ZIP = Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64');

describe('a Lambda function\'s VpcConfig.VpcId', () => {
  const sandbox = useSandbox();

  async function network(ec2: EC2Client, cidr: string) {
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
    const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr.replace('.0.0/16', '.1.0/24') }))).Subnet!.SubnetId!;
    const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `fn-${cidr}`, Description: 'function', VpcId: vpcId }))).GroupId!;
    return { vpcId, subnetId, groupId };
  }

  async function functionRole(): Promise<string> {
    const role = await new IAMClient(sandbox.clientConfig).send(
      new CreateRoleCommand({
        RoleName: 'fn-role',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    return role.Role!.Arn!;
  }

  it('is the VPC of its subnets in CreateFunction\'s answer, GetFunction and GetFunctionConfiguration', async () => {
    const ec2 = new EC2Client(sandbox.clientConfig);
    const lambda = new LambdaClient(sandbox.clientConfig);
    const net = await network(ec2, '10.30.0.0/16');

    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'api',
        Runtime: 'nodejs20.x',
        Role: await functionRole(),
        Handler: 'index.handler',
        Code: { ZipFile: EMPTY_ZIP },
        VpcConfig: { SubnetIds: [net.subnetId], SecurityGroupIds: [net.groupId] },
      }),
    );
    const configuration = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'api' }));
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'api' }));

    expect(created.VpcConfig).toMatchObject({ VpcId: net.vpcId, SubnetIds: [net.subnetId], SecurityGroupIds: [net.groupId] });
    expect(configuration.VpcConfig?.VpcId).toBe(net.vpcId);
    expect(fn.Configuration?.VpcConfig?.VpcId).toBe(net.vpcId);
  });

  it('follows the function when UpdateFunctionConfiguration moves it to subnets of another VPC', async () => {
    const ec2 = new EC2Client(sandbox.clientConfig);
    const lambda = new LambdaClient(sandbox.clientConfig);
    const first = await network(ec2, '10.40.0.0/16');
    const defaultVpcId = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0]!.VpcId!;
    const defaultSubnet = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [defaultVpcId] }] }))).Subnets![0]!;
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'mover',
        Runtime: 'nodejs20.x',
        Role: await functionRole(),
        Handler: 'index.handler',
        Code: { ZipFile: EMPTY_ZIP },
        VpcConfig: { SubnetIds: [first.subnetId], SecurityGroupIds: [first.groupId] },
      }),
    );

    const updated = await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'mover', VpcConfig: { SubnetIds: [defaultSubnet.SubnetId!], SecurityGroupIds: [] } }),
    );

    expect(updated.VpcConfig?.VpcId).toBe(defaultVpcId);
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'mover' }))).VpcConfig?.VpcId).toBe(defaultVpcId);
  });
});
