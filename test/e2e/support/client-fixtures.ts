import {
  AuthorizeSecurityGroupEgressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupEgressCommand,
} from '@aws-sdk/client-ec2';
import { AttachRolePolicyCommand, CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeDBProxiesCommand, RDSClient } from '@aws-sdk/client-rds';
import type { Sandbox } from './sandbox.js';

/** Clients of a stack made by `up`, as a user has them before `grant`: plain SDK calls, no rdsproxy-setup tags. */

const EMPTY_ZIP = Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64');

export const ENI_ACTIONS = ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface'];

/** What a test needs to know of the stack `up` made, read with the SDK. */
export interface StackFacts {
  proxyName: string;
  proxyArn: string;
  resourceId: string;
  endpoint: string;
  vpcId: string;
  subnetIds: string[];
  proxyGroupId: string;
}

export async function stackFacts(sandbox: Sandbox, stack: string): Promise<StackFacts> {
  const { DBProxies } = await new RDSClient(sandbox.clientConfig).send(new DescribeDBProxiesCommand({ DBProxyName: `${stack}-proxy` }));
  const proxy = DBProxies![0]!;
  return {
    proxyName: proxy.DBProxyName!,
    proxyArn: proxy.DBProxyArn!,
    resourceId: proxy.DBProxyArn!.split(':').pop()!,
    endpoint: proxy.Endpoint!,
    vpcId: proxy.VpcId!,
    subnetIds: proxy.VpcSubnetIds!,
    proxyGroupId: proxy.VpcSecurityGroupIds![0]!,
  };
}

export interface RoleOptions {
  /** An inline policy with the network-interface permissions a function in a VPC needs. */
  eniPermissions?: boolean;
  /** Other inline policies, by name. */
  inline?: Record<string, unknown>;
  /** Managed policy ARNs to attach. */
  attached?: string[];
  trustedService?: string;
}

export async function createRole(sandbox: Sandbox, name: string, options: RoleOptions = {}): Promise<string> {
  const iam = new IAMClient(sandbox.clientConfig);
  const { Role } = await iam.send(
    new CreateRoleCommand({
      RoleName: name,
      Tags: [{ Key: 'team', Value: 'payments' }],
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: options.trustedService ?? 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  const inline = { ...options.inline };
  if (options.eniPermissions) inline.network = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ENI_ACTIONS, Resource: '*' }] };
  for (const [PolicyName, document] of Object.entries(inline)) {
    await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName, PolicyDocument: JSON.stringify(document) }));
  }
  for (const PolicyArn of options.attached ?? []) await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn }));
  return Role!.Arn!;
}

export async function createGroup(sandbox: Sandbox, name: string, vpcId: string, options: { egress?: 'all' | 'https-only' } = {}): Promise<string> {
  const ec2 = new EC2Client(sandbox.clientConfig);
  const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: `${name} (a client's own)`, VpcId: vpcId }));
  if (options.egress === 'https-only') {
    await ec2.send(
      new RevokeSecurityGroupEgressCommand({ GroupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupEgressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }),
    );
  }
  return GroupId!;
}

export interface FunctionOptions {
  roleArn: string;
  vpc?: { subnetIds: string[]; groupIds: string[] };
  environment?: Record<string, string>;
}

export async function createFunction(sandbox: Sandbox, name: string, options: FunctionOptions): Promise<void> {
  await new LambdaClient(sandbox.clientConfig).send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: options.roleArn,
      Handler: 'index.handler',
      Code: { ZipFile: EMPTY_ZIP },
      Tags: { team: 'payments' },
      ...(options.vpc ? { VpcConfig: { SubnetIds: options.vpc.subnetIds, SecurityGroupIds: options.vpc.groupIds } } : {}),
      ...(options.environment ? { Environment: { Variables: options.environment } } : {}),
    }),
  );
}

/** A VPC of its own with one subnet, as a function elsewhere would have. */
export async function otherVpc(sandbox: Sandbox): Promise<{ vpcId: string; subnetId: string; groupId: string }> {
  const ec2 = new EC2Client(sandbox.clientConfig);
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.50.0.0/16' }))).Vpc!.VpcId!;
  const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.50.1.0/24' }))).Subnet!.SubnetId!;
  const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'elsewhere', Description: 'elsewhere', VpcId: vpcId }))).GroupId!;
  return { vpcId, subnetId, groupId };
}

export async function groupNamed(sandbox: Sandbox, name: string) {
  const { SecurityGroups } = await new EC2Client(sandbox.clientConfig).send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [name] }] }));
  return SecurityGroups?.[0];
}
