import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import {
  AttachRolePolicyCommand,
  GetAccountSummaryCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  SimulatePrincipalPolicyCommand,
  TagRoleCommand,
} from '@aws-sdk/client-iam';
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionConfigurationCommand,
  type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsClients } from '../../../src/aws/clients.js';
import type { GrantContext } from '../../../src/grants/context.js';
import type { GrantTarget } from '../../../src/grants/target.js';
import { FAST_TIMING } from '../support/step-context.js';

/** A small account for the grant engine: the stack's proxy group, one function, its role; each test changes what it is about. */
export const ACCOUNT = '123456789012';
export const PROXY_GROUP = 'sg-00000001';
export const FUNCTION_GROUP = 'sg-00000002';
export const VPC = 'vpc-0000000a';

export const TARGET: GrantTarget = {
  stack: 'demo',
  region: 'us-east-1',
  proxySecurityGroupId: PROXY_GROUP,
  proxy: {
    name: 'demo-proxy',
    arn: `arn:aws:rds:us-east-1:${ACCOUNT}:db-proxy:prx-0abc`,
    resourceId: 'prx-0abc',
    endpoint: 'demo-proxy.proxy-abc.us-east-1.rds.amazonaws.com',
    vpcId: VPC,
    subnetIds: ['subnet-00000001', 'subnet-00000002'],
  },
  databaseName: 'app',
  users: ['postgres'],
};

export interface World {
  fn?: FunctionConfiguration;
  functionTags: Record<string, string>;
  /** More functions, by name, for a stack with several clients. */
  others?: Record<string, { config: FunctionConfiguration; tags: Record<string, string> }>;
  groups: SecurityGroup[];
  role?: { Path: string; tags: Record<string, string>; inline: Record<string, string>; attached: string[] };
  /** What IAM's simulator says about the ENI actions. */
  networkInterfaces: 'allowed' | 'implicitDeny';
  attachedQuota: number;
}

export function healthyWorld(): World {
  return {
    fn: {
      FunctionName: 'api',
      FunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:api`,
      Role: `arn:aws:iam::${ACCOUNT}:role/api-role`,
      VpcConfig: { SubnetIds: ['subnet-00000001'], SecurityGroupIds: [FUNCTION_GROUP], VpcId: VPC },
      Environment: { Variables: { LOG_LEVEL: 'debug' } },
      LastUpdateStatus: 'Successful',
    },
    functionTags: {},
    groups: [
      { GroupId: PROXY_GROUP, GroupName: 'demo-proxy-sg', VpcId: VPC, Tags: [{ Key: 'rdsproxy-setup:stack', Value: 'demo' }], IpPermissions: [], IpPermissionsEgress: [] },
      {
        GroupId: FUNCTION_GROUP,
        GroupName: 'api-sg',
        VpcId: VPC,
        Tags: [],
        IpPermissions: [],
        IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      },
    ],
    role: { Path: '/', tags: {}, inline: {}, attached: [] },
    networkInterfaces: 'allowed',
    attachedQuota: 10,
  };
}

export const ec2 = mockClient(EC2Client);
export const lambda = mockClient(LambdaClient);
export const iam = mockClient(IAMClient);

const notFound = (name: string) => Object.assign(new Error(`${name}: not found`), { name, $metadata: {} });

/** Answers every read of the engine from the world. */
export function serve(world: World): void {
  for (const client of [ec2, lambda, iam]) client.reset();
  ec2.on(DescribeSecurityGroupsCommand).callsFake(({ Filters }: { Filters: { Name: string; Values: string[] }[] }) => {
    const [filter] = Filters;
    const groups = world.groups.filter((g) =>
      filter!.Name === 'group-id' ? filter!.Values.includes(g.GroupId!) : filter!.Values.includes(g.GroupName!),
    );
    return { SecurityGroups: groups };
  });
  lambda.on(GetFunctionConfigurationCommand).callsFake(({ FunctionName }: { FunctionName: string }) => {
    const other = world.others?.[FunctionName];
    if (other) return other.config;
    if (!world.fn) throw notFound('ResourceNotFoundException');
    return world.fn;
  });
  lambda.on(ListTagsCommand).callsFake(({ Resource }: { Resource: string }) => ({
    Tags: world.others?.[Resource.slice(Resource.lastIndexOf(':') + 1)]?.tags ?? world.functionTags,
  }));
  iam.on(GetRoleCommand).callsFake(({ RoleName }: { RoleName: string }) => {
    if (!world.role) throw notFound('NoSuchEntityException');
    return { Role: { RoleName, Arn: `arn:aws:iam::${ACCOUNT}:role${world.role.Path}${RoleName}`, Path: world.role.Path, RoleId: 'AROA', CreateDate: new Date(), AssumeRolePolicyDocument: '{}' } };
  });
  iam.on(ListRolePoliciesCommand).callsFake(() => ({ PolicyNames: Object.keys(world.role?.inline ?? {}) }));
  iam.on(GetRolePolicyCommand).callsFake(({ PolicyName, RoleName }: { PolicyName: string; RoleName: string }) => ({
    RoleName,
    PolicyName,
    PolicyDocument: encodeURIComponent(world.role!.inline[PolicyName]!),
  }));
  iam.on(ListAttachedRolePoliciesCommand).callsFake(() => ({ AttachedPolicies: (world.role?.attached ?? []).map((PolicyArn) => ({ PolicyArn })) }));
  iam.on(ListRoleTagsCommand).callsFake(() => ({ Tags: Object.entries(world.role?.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) }));
  iam.on(SimulatePrincipalPolicyCommand).callsFake(({ ActionNames }: { ActionNames: string[] }) => ({
    EvaluationResults: ActionNames.map((EvalActionName) => ({ EvalActionName, EvalDecision: world.networkInterfaces })),
  }));
  iam.on(GetAccountSummaryCommand).callsFake(() => ({ SummaryMap: { AttachedPoliciesPerRoleQuota: world.attachedQuota } }));
}

/** Every write the engine can make, by name, with how many times it was sent. */
export function writes(): Record<string, number> {
  const counts: Record<string, number> = {
    CreateTags: ec2.commandCalls(CreateTagsCommand).length,
    DeleteTags: ec2.commandCalls(DeleteTagsCommand).length,
    CreateSecurityGroup: ec2.commandCalls(CreateSecurityGroupCommand).length,
    AuthorizeSecurityGroupIngress: ec2.commandCalls(AuthorizeSecurityGroupIngressCommand).length,
    AuthorizeSecurityGroupEgress: ec2.commandCalls(AuthorizeSecurityGroupEgressCommand).length,
    RevokeSecurityGroupIngress: ec2.commandCalls(RevokeSecurityGroupIngressCommand).length,
    TagResource: lambda.commandCalls(TagResourceCommand).length,
    UntagResource: lambda.commandCalls(UntagResourceCommand).length,
    UpdateFunctionConfiguration: lambda.commandCalls(UpdateFunctionConfigurationCommand).length,
    PutRolePolicy: iam.commandCalls(PutRolePolicyCommand).length,
    AttachRolePolicy: iam.commandCalls(AttachRolePolicyCommand).length,
    TagRole: iam.commandCalls(TagRoleCommand).length,
  };
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

export function grantContext(): GrantContext {
  return {
    clients: createAwsClients({ region: 'us-east-1' }),
    signal: new AbortController().signal,
    timing: FAST_TIMING,
    progress: () => undefined,
  };
}

/** Makes each write change the world, as AWS would, and notes it in `log` in the order sent. */
export function serveWrites(world: World, log: string[]): void {
  const group = (id: string) => world.groups.find((g) => g.GroupId === id)!;
  ec2.on(CreateTagsCommand).callsFake(({ Resources, Tags }: { Resources: string[]; Tags: { Key: string; Value: string }[] }) => {
    log.push('CreateTags');
    group(Resources[0]!).Tags = [...(group(Resources[0]!).Tags ?? []), ...Tags];
    return {};
  });
  ec2.on(DeleteTagsCommand).callsFake(({ Resources, Tags }: { Resources: string[]; Tags: { Key: string; Value?: string }[] }) => {
    log.push('DeleteTags');
    const g = group(Resources[0]!);
    g.Tags = (g.Tags ?? []).filter((t) => !Tags.some((d) => d.Key === t.Key && (d.Value === undefined || d.Value === t.Value)));
    return {};
  });
  ec2.on(AuthorizeSecurityGroupIngressCommand).callsFake(({ GroupId, IpPermissions }: { GroupId: string; IpPermissions: SecurityGroup['IpPermissions'] }) => {
    log.push('AuthorizeSecurityGroupIngress');
    group(GroupId).IpPermissions = [...(group(GroupId).IpPermissions ?? []), ...(IpPermissions ?? [])];
    return {};
  });
  ec2.on(RevokeSecurityGroupIngressCommand).callsFake(({ GroupId, IpPermissions }: { GroupId: string; IpPermissions: SecurityGroup['IpPermissions'] }) => {
    log.push('RevokeSecurityGroupIngress');
    const peer = IpPermissions![0]!.UserIdGroupPairs![0]!.GroupId;
    group(GroupId).IpPermissions = (group(GroupId).IpPermissions ?? []).filter((p) => !(p.UserIdGroupPairs ?? []).some((g) => g.GroupId === peer));
    return {};
  });
  lambda.on(TagResourceCommand).callsFake(({ Tags }: { Tags: Record<string, string> }) => {
    log.push('TagResource');
    world.functionTags = { ...world.functionTags, ...Tags };
    return {};
  });
  lambda.on(UntagResourceCommand).callsFake(({ TagKeys }: { TagKeys: string[] }) => {
    log.push('UntagResource');
    world.functionTags = Object.fromEntries(Object.entries(world.functionTags).filter(([k]) => !TagKeys.includes(k)));
    return {};
  });
  lambda.on(UpdateFunctionConfigurationCommand).callsFake(({ Environment }: { Environment?: { Variables: Record<string, string> } }) => {
    log.push('UpdateFunctionConfiguration');
    if (Environment) world.fn!.Environment = { Variables: Environment.Variables };
    return world.fn;
  });
  iam.on(PutRolePolicyCommand).callsFake(({ PolicyName, PolicyDocument }: { PolicyName: string; PolicyDocument: string }) => {
    log.push('PutRolePolicy');
    world.role!.inline[PolicyName] = PolicyDocument;
    return {};
  });
  iam.on(TagRoleCommand).callsFake(({ Tags }: { Tags: { Key: string; Value: string }[] }) => {
    log.push('TagRole');
    for (const t of Tags) world.role!.tags[t.Key] = t.Value;
    return {};
  });
}
