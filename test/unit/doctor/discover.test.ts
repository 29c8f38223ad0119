import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
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
  ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [...value<Map<string, object>>(s.securityGroups).values()] });
  ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [...value<Map<string, object>>(s.subnets).values()] });
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
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0]!.args[0].input).toEqual({ GroupIds: ['sg-proxy', 'sg-db'] });
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
