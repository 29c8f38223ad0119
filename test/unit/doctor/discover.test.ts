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
  DescribeDBProxyTargetGroupsCommand,
  DescribeDBProxyTargetsCommand,
  DescribeDBSubnetGroupsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { DescribeSecretCommand, GetResourcePolicyCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../../src/aws/clients.js';
import { explainTargetHealth } from '../../../src/doctor/explain-target-health.js';
import { runDoctor } from '../../../src/doctor/run-doctor.js';
import { CLUSTER_ENDPOINT, healthySnapshot, PROXY_NAME, ROLE_ARN, SECRET_ARN, value } from './healthy-snapshot.js';

const rds = mockClient(RDSClient);
const ec2 = mockClient(EC2Client);
const iam = mockClient(IAMClient);
const sm = mockClient(SecretsManagerClient);
const sts = mockClient(STSClient);
const logs = mockClient(CloudWatchLogsClient);
const mocks = [rds, ec2, iam, sm, sts, logs];
const PASSWORD = 'correct-horse-battery-staple';

/** The AWS account behind healthySnapshot(), answering every read the discovery pass makes. */
function healthyAccount() {
  const s = healthySnapshot();
  rds.on(DescribeDBProxiesCommand).resolves({ DBProxies: [value(s.proxy)] });
  rds.on(DescribeDBProxyTargetGroupsCommand).resolves({ TargetGroups: [value(s.targetGroup)] });
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
function ec2Holds(groups: SecurityGroup[], subnets: Subnet[]) {
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

const clients = () => createAwsClients({ region: 'us-east-1' });

beforeEach(() => healthyAccount());
afterEach(() => mocks.forEach((m) => m.reset()));

describe('the discovery pass', () => {
  it('reads each resource once and finds a healthy proxy healthy', async () => {
    const { report } = await runDoctor({ clients: clients(), region: 'us-east-1', proxyName: PROXY_NAME, options: {} });
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    for (const [mock, command] of [
      [rds, DescribeDBProxiesCommand],
      [rds, DescribeDBProxyTargetsCommand],
      [rds, DescribeDBClustersCommand],
      [ec2, DescribeSecurityGroupsCommand],
      [iam, GetRoleCommand],
      [sm, DescribeSecretCommand],
      [sm, GetSecretValueCommand],
    ] as const) {
      expect(mock.commandCalls(command as never), command.name).toHaveLength(1);
    }
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0]!.args[0].input).toEqual({
      Filters: [{ Name: 'group-id', Values: ['sg-proxy', 'sg-db'] }],
    });
  });

  it('reads the proxy\'s and the database\'s subnets in one call, taking the database\'s from its instances', async () => {
    await runDoctor({ clients: clients(), region: 'us-east-1', proxyName: PROXY_NAME, options: {} });
    expect(ec2.commandCalls(DescribeSubnetsCommand).map((c) => c.args[0].input)).toEqual([
      { Filters: [{ Name: 'subnet-id', Values: ['subnet-a', 'subnet-b', 'subnet-db-a', 'subnet-db-b'] }] },
    ]);
    expect(rds.commandCalls(DescribeDBSubnetGroupsCommand)).toHaveLength(0);
  });

  it('reads the cluster\'s DB subnet group when no instance lists its subnets', async () => {
    const s = healthySnapshot();
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ ...value<object>(s.cluster), DBSubnetGroup: 'orders-subnets' }] });
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [] });
    rds.on(DescribeDBSubnetGroupsCommand).resolves({
      DBSubnetGroups: [{ DBSubnetGroupName: 'orders-subnets', Subnets: [{ SubnetIdentifier: 'subnet-db-a' }] }],
    });
    const { snapshot } = await runDoctor({ clients: clients(), region: 'us-east-1', proxyName: PROXY_NAME, options: {} });
    expect(rds.commandCalls(DescribeDBSubnetGroupsCommand)[0]!.args[0].input).toEqual({ DBSubnetGroupName: 'orders-subnets' });
    expect(snapshot.databaseSubnetIds).toEqual({ ok: true, value: ['subnet-db-a'] });
  });

  it('reports a deleted proxy subnet as gone in proxy.subnets while the security-group checks still run', async () => {
    const s = healthySnapshot();
    const subnets = [...value<Map<string, Subnet>>(s.subnets).values()].filter((x) => x.SubnetId !== 'subnet-b');
    ec2Holds([...value<Map<string, SecurityGroup>>(s.securityGroups).values()], subnets);
    const { report } = await runDoctor({ clients: clients(), region: 'us-east-1', proxyName: PROXY_NAME, options: {} });
    const proxySubnets = report.checks.find((c) => c.id === 'proxy.subnets')!;
    expect(proxySubnets.status).toBe('warn');
    expect(proxySubnets.evidence).toContain('subnet-b no longer exist');
    expect(report.checks.find((c) => c.id === 'sg.proxy-to-cluster')!.status).toBe('pass');
  });

  it('skips only the client check when --client-sg names a group that does not exist, naming it', async () => {
    const { report } = await runDoctor({
      clients: clients(),
      region: 'us-east-1',
      proxyName: PROXY_NAME,
      options: { clientSecurityGroupId: 'sg-typo' },
    });
    const status = (id: string) => report.checks.find((c) => c.id === id)!;
    expect(status('sg.client-to-proxy').status).toBe('skip');
    expect(status('sg.client-to-proxy').evidence).toContain('security group sg-typo was not found');
    expect(status('sg.proxy-to-cluster').status).toBe('pass');
    expect(status('sg.proxy-egress-secrets').status).toBe('pass');
  });
});

describe('reading the proxy\'s recent logs', () => {
  const event = (message: string) => ({ timestamp: Date.UTC(2026, 0, 2, 3, 4, 5), message });
  const recentErrors = async () =>
    (await runDoctor({ clients: clients(), region: 'us-east-1', proxyName: PROXY_NAME, options: {} })).report.checks.find(
      (c) => c.id === 'logs.recent-errors',
    )!;

  it('follows nextToken past empty pages until the last page, and finds the error on a later page', async () => {
    logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [], nextToken: 'page-2' })
      .resolvesOnce({ events: [event('PAM authentication failed for user "app_owner"')], nextToken: 'page-3' })
      .resolvesOnce({ events: [event('The client session was pinned')] });
    const result = await recentErrors();
    expect(result.status).toBe('warn');
    expect(result.evidence).toContain('1 known error line in 2 events of the last 60 minutes');
    expect(logs.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input.nextToken)).toEqual([undefined, 'page-2', 'page-3']);
  });

  it('stops after 10 pages and says the later events were not read', async () => {
    logs.on(FilterLogEventsCommand).resolves({ events: [event('The client session was pinned')], nextToken: 'more' });
    const result = await recentErrors();
    expect(logs.commandCalls(FilterLogEventsCommand)).toHaveLength(10);
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('10 events of the last 60 minutes');
    expect(result.evidence).toContain('later events were not read');
  });

  it('keeps the secret\'s password out of the snapshot and the report', async () => {
    const { report, snapshot } = await runDoctor({ clients: clients(), region: 'us-east-1', proxyName: PROXY_NAME, options: { user: 'app_owner' } });
    const seen = JSON.stringify(report) + JSON.stringify(snapshot, (_k, v: unknown) => (v instanceof Map ? [...v.entries()] : v));
    expect(seen).toContain('app_owner');
    expect(seen).not.toContain(PASSWORD);
  });

  it('goes on when a read is denied: secret.shape is skipped with the reason, the rest still run', async () => {
    sm.on(GetSecretValueCommand).rejects(Object.assign(new Error('User is not authorized to perform GetSecretValue'), { name: 'AccessDeniedException' }));
    const { report } = await runDoctor({ clients: clients(), region: 'us-east-1', proxyName: PROXY_NAME, options: {} });
    const shape = report.checks.find((c) => c.id === 'secret.shape')!;
    expect(shape.status).toBe('skip');
    expect(shape.evidence).toContain('AccessDeniedException');
    expect(report.checks.find((c) => c.id === 'sg.proxy-to-cluster')!.status).toBe('pass');
  });

  it('reports a proxy that does not exist as proxy.status failing, with nothing else read', async () => {
    rds.on(DescribeDBProxiesCommand).rejects(Object.assign(new Error(`DBProxy ${PROXY_NAME} not found.`), { name: 'DBProxyNotFoundFault' }));
    const { report } = await runDoctor({ clients: clients(), region: 'us-east-1', proxyName: PROXY_NAME, options: {} });
    expect(report.summary.fail).toBe(1);
    expect(report.checks.find((c) => c.id === 'proxy.status')!.status).toBe('fail');
    expect(rds.commandCalls(DescribeDBProxyTargetsCommand)).toHaveLength(0);
  });
});

describe('explaining a target-health failure for up', () => {
  it('shows proxy.targets and the checks its reason routes to, and only those', async () => {
    rds.on(DescribeDBProxyTargetsCommand).resolves({
      Targets: [
        { Type: 'TRACKED_CLUSTER', RdsResourceId: 'orders-db', Endpoint: CLUSTER_ENDPOINT, TargetHealth: { State: 'AVAILABLE' } },
        { Type: 'RDS_INSTANCE', RdsResourceId: 'orders-writer', TargetHealth: { State: 'UNAVAILABLE', Reason: 'CONNECTION_FAILED', Description: 'timed out' } },
      ],
    });
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        { GroupId: 'sg-proxy', VpcId: 'vpc-1', IpPermissions: [], IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
        { GroupId: 'sg-db', VpcId: 'vpc-1', IpPermissions: [], IpPermissionsEgress: [] },
      ],
    });
    const text = await explainTargetHealth(clients(), { stack: 'x', region: 'us-east-1', json: false, yes: true, verbose: false }, PROXY_NAME);
    const ids = [...text.matchAll(/^ {2}\S (\S+)/gm)].map((m) => m[1]);
    expect(ids).toEqual(['sg.proxy-to-cluster', 'proxy.targets', 'cluster.supported']);
    expect(text).toContain('✖ sg.proxy-to-cluster');
    expect(text).toContain('fix: aws ec2 authorize-security-group-ingress --group-id sg-db --protocol tcp --port 5432 --source-group sg-proxy');
    expect(text).toContain('Reason CONNECTION_FAILED, Description "timed out"');
  });
});
