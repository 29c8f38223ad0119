import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  EC2Client,
  EC2ServiceException,
  type Filter,
  type SecurityGroup,
  type Subnet,
} from '@aws-sdk/client-ec2';
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBProxiesCommand,
  DescribeDBProxyTargetsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { DescribeSecretCommand, GetResourcePolicyCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsClients } from '../../../src/aws/clients.js';
import { healthySnapshot, ROLE_ARN, SECRET_ARN, value } from './healthy-snapshot.js';

export const rds = mockClient(RDSClient);
export const ec2 = mockClient(EC2Client);
export const iam = mockClient(IAMClient);
export const sm = mockClient(SecretsManagerClient);
export const sts = mockClient(STSClient);
export const logs = mockClient(CloudWatchLogsClient);
const mocks = [rds, ec2, iam, sm, sts, logs];
export const PASSWORD = 'correct-horse-battery-staple';

/** The AWS account behind healthySnapshot(), answering every read the discovery pass makes (aws-sdk-client-mock). */
export function healthyAccount() {
  const s = healthySnapshot();
  rds.on(DescribeDBProxiesCommand).resolves({ DBProxies: [value(s.proxy)] });
  rds.on(DescribeDBProxyTargetsCommand).resolves({ Targets: value(s.targets) });
  rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [value(s.cluster)] });
  rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: value(s.instances) });
  ec2Holds([...value<Map<string, SecurityGroup>>(s.securityGroups).values()], [...value<Map<string, Subnet>>(s.subnets).values()]);
  iam.on(GetRoleCommand).resolves({
    Role: {
      RoleName: 'orders-proxy-role',
      Arn: ROLE_ARN,
      Path: '/',
      RoleId: 'AROA1',
      CreateDate: new Date(),
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: 'rds.amazonaws.com' }, Action: 'sts:AssumeRole' }] })),
    },
  });
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['read-secret'] });
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
  iam.on(GetRolePolicyCommand).resolves({
    RoleName: 'orders-proxy-role',
    PolicyName: 'read-secret',
    PolicyDocument: encodeURIComponent(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET_ARN }] })),
  });
  iam.on(SimulatePrincipalPolicyCommand).resolves({ EvaluationResults: [{ EvalActionName: 'secretsmanager:GetSecretValue', EvalDecision: 'allowed' }] });
  sm.on(DescribeSecretCommand).resolves({ ARN: SECRET_ARN, Name: 'orders/db' });
  sm.on(GetResourcePolicyCommand).resolves({ ARN: SECRET_ARN });
  sm.on(GetSecretValueCommand).resolves({ ARN: SECRET_ARN, SecretString: JSON.stringify({ username: 'app_owner', password: PASSWORD }) });
  sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/ops' });
  logs.on(FilterLogEventsCommand).rejects(Object.assign(new Error('The specified log group does not exist.'), { name: 'ResourceNotFoundException' }));
}

/**
 * EC2 as AWS answers it: asked by id, one missing id fails the whole call; asked by filter, it
 * returns the ones that exist.
 */
export function ec2Holds(groups: SecurityGroup[], subnets: Subnet[]) {
  const notFound = (name: string, id: string) =>
    new EC2ServiceException({ name, $fault: 'client', $metadata: {}, message: `The ID '${id}' does not exist` });
  const filtered = <T>(all: T[], key: keyof T, ids: string[] | undefined, filters: Filter[] | undefined, filterName: string, error: string): T[] => {
    const missingId = ids?.find((id) => !all.some((x) => x[key] === id));
    if (missingId) throw notFound(error, missingId);
    const wanted = ids ?? filters?.find((f) => f.Name === filterName)?.Values;
    return all.filter((x) => !wanted || wanted.includes(x[key] as string));
  };
  ec2.on(DescribeSecurityGroupsCommand).callsFake((input: { GroupIds?: string[]; Filters?: Filter[] }) => ({
    SecurityGroups: filtered(groups, 'GroupId', input.GroupIds, input.Filters, 'group-id', 'InvalidGroup.NotFound'),
  }));
  ec2.on(DescribeSubnetsCommand).callsFake((input: { SubnetIds?: string[]; Filters?: Filter[] }) => ({
    Subnets: filtered(subnets, 'SubnetId', input.SubnetIds, input.Filters, 'subnet-id', 'InvalidSubnetID.NotFound'),
  }));
}

export const clients = () => createAwsClients({ region: 'us-east-1' });

export function resetAccount(): void {
  mocks.forEach((m) => m.reset());
}

