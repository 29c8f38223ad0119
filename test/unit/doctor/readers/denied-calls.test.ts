import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcEndpointsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, DescribeDBProxiesCommand, DescribeDBProxyTargetsCommand, DescribeDBSubnetGroupsCommand, RDSClient } from '@aws-sdk/client-rds';
import { DescribeSecretCommand, GetResourcePolicyCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rowsFor } from '../../../../src/config/least-privilege-policy.js';
import { got, missing } from '../../../../src/doctor/read.js';
import { clusterReader, databaseSubnetIdsReader, instancesReader } from '../../../../src/doctor/readers/database.js';
import { kmsKeysReader } from '../../../../src/doctor/readers/kms-keys.js';
import { lambdaReader } from '../../../../src/doctor/readers/lambda.js';
import { recentLogsReader } from '../../../../src/doctor/readers/logs.js';
import { proxyReader } from '../../../../src/doctor/readers/proxy.js';
import { readRole } from '../../../../src/doctor/readers/role.js';
import { secretsReader } from '../../../../src/doctor/readers/secrets.js';
import { securityGroupsReader } from '../../../../src/doctor/readers/security-groups.js';
import { subnetsReader } from '../../../../src/doctor/readers/subnets.js';
import { targetsReader } from '../../../../src/doctor/readers/targets.js';
import { secretsEndpointsReader, vpcReader } from '../../../../src/doctor/readers/vpc.js';
import type { Read, SecretSnapshot } from '../../../../src/doctor/snapshot.js';
import { ACCOUNT, healthySnapshot, KEY_ARN, PROXY_ID, ROLE_ARN, SECRET_ARN } from '../healthy-snapshot.js';
import { scope } from './scope.js';

const rds = mockClient(RDSClient);
const ec2 = mockClient(EC2Client);
const iam = mockClient(IAMClient);
const sm = mockClient(SecretsManagerClient);
const kms = mockClient(KMSClient);
const lambda = mockClient(LambdaClient);
const logs = mockClient(CloudWatchLogsClient);
afterEach(() => [rds, ec2, iam, sm, kms, lambda, logs].forEach((m) => m.reset()));

/** AWS's refusal, in words that do not name the action: the read must know it itself. */
const refusal = () => Object.assign(new Error('Access denied'), { name: 'AccessDeniedException' });
const PROXY_ARN = `arn:aws:rds:us-east-1:${ACCOUNT}:db-proxy:${PROXY_ID}`;
const MANAGED_POLICY = `arn:aws:iam::${ACCOUNT}:policy/orders-read`;
const DOCTOR_ACTIONS = rowsFor(['doctor']).map((r) => r.action);

const s = healthySnapshot();
const secretOf = (secrets: Map<string, Read<SecretSnapshot>>) => secrets.get(SECRET_ARN)!;
const valueOf = <T>(r: Read<T>): T => {
  if (!r.ok) throw new Error(`read failed: ${r.error}`);
  return r.value;
};

beforeEach(() => {
  sm.on(DescribeSecretCommand).resolves({ ARN: SECRET_ARN, Name: 'orders/db', KmsKeyId: KEY_ARN });
  sm.on(GetResourcePolicyCommand).resolves({ ARN: SECRET_ARN });
  sm.on(GetSecretValueCommand).resolves({ ARN: SECRET_ARN, SecretString: '{"username":"app_owner","password":"p"}' });
  iam.on(GetRoleCommand).resolves({ Role: { RoleName: 'orders-proxy-role', Arn: ROLE_ARN, Path: '/', RoleId: 'AROA1', CreateDate: new Date(), AssumeRolePolicyDocument: '{}' } });
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['read-secret'] });
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: MANAGED_POLICY, PolicyName: 'orders-read' }] });
  iam.on(GetRolePolicyCommand).resolves({ RoleName: 'orders-proxy-role', PolicyName: 'read-secret', PolicyDocument: '{}' });
  iam.on(GetPolicyCommand).resolves({ Policy: { Arn: MANAGED_POLICY, DefaultVersionId: 'v1' } });
  iam.on(GetPolicyVersionCommand).resolves({ PolicyVersion: { Document: '{}' } });
  kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', Arn: KEY_ARN, Enabled: true, KeyState: 'Enabled', KeyManager: 'CUSTOMER' } });
});

/** A refused call of each read: the read fails naming the call's IAM action and the resource it was about. */
const cases: [string, () => void, string, string, () => Promise<Read<unknown>>][] = [
  ['the proxy, known only by name', () => rds.on(DescribeDBProxiesCommand).rejects(refusal()), 'rds:DescribeDBProxies', 'arn:aws:rds:us-east-1:*:db-proxy:*', () => proxyReader.read(scope(), {})],
  ['the targets', () => rds.on(DescribeDBProxyTargetsCommand).rejects(refusal()), 'rds:DescribeDBProxyTargets', PROXY_ARN, () => targetsReader.read(scope(), { proxy: s.proxy })],
  ['the cluster', () => rds.on(DescribeDBClustersCommand).rejects(refusal()), 'rds:DescribeDBClusters', 'arn:aws:rds:us-east-1:*:cluster:orders-db', () => clusterReader.read(scope(), { targets: s.targets })],
  ['the instances, by filter', () => rds.on(DescribeDBInstancesCommand).rejects(refusal()), 'rds:DescribeDBInstances', 'arn:aws:rds:us-east-1:*:db:*', () => instancesReader.read(scope(), { targets: s.targets })],
  [
    'the DB subnet group of a cluster without instances',
    () => rds.on(DescribeDBSubnetGroupsCommand).rejects(refusal()),
    'rds:DescribeDBSubnetGroups',
    'arn:aws:rds:us-east-1:*:subgrp:orders-subnets',
    () => databaseSubnetIdsReader.read(scope(), { cluster: got({ DBClusterIdentifier: 'orders-db', DBSubnetGroup: 'orders-subnets' }), instances: got([]) }),
  ],
  [
    'the security groups',
    () => ec2.on(DescribeSecurityGroupsCommand).rejects(refusal()),
    'ec2:DescribeSecurityGroups',
    '*',
    () => securityGroupsReader.read(scope(), { proxy: s.proxy, cluster: s.cluster, instances: s.instances, lambda: undefined }),
  ],
  [
    'the subnets',
    () => ec2.on(DescribeSubnetsCommand).rejects(refusal()),
    'ec2:DescribeSubnets',
    '*',
    () => subnetsReader.read(scope(), { proxy: s.proxy, lambda: undefined }),
  ],
  [
    'the VPC of --client-sg',
    () => ec2.on(DescribeVpcsCommand).rejects(refusal()),
    'ec2:DescribeVpcs',
    '*',
    async () => (await vpcReader.read(scope({ clientSecurityGroupId: 'sg-client' }), { proxy: s.proxy }))!,
  ],
  [
    'the Secrets Manager endpoints',
    () => ec2.on(DescribeVpcEndpointsCommand).rejects(refusal()),
    'ec2:DescribeVpcEndpoints',
    '*',
    async () => (await secretsEndpointsReader.read(scope(), { proxy: s.proxy, securityGroups: got(new Map([['sg-proxy', { GroupId: 'sg-proxy', IpPermissionsEgress: [] }]])) }))!,
  ],
  ['the secret', () => sm.on(DescribeSecretCommand).rejects(refusal()), 'secretsmanager:DescribeSecret', SECRET_ARN, async () => secretOf(await secretsReader.read(scope(), { proxy: s.proxy }))],
  [
    'the secret\'s resource policy',
    () => sm.on(GetResourcePolicyCommand).rejects(refusal()),
    'secretsmanager:GetResourcePolicy',
    SECRET_ARN,
    async () => valueOf(secretOf(await secretsReader.read(scope(), { proxy: s.proxy }))).resourcePolicy,
  ],
  [
    'the secret\'s value',
    () => sm.on(GetSecretValueCommand).rejects(refusal()),
    'secretsmanager:GetSecretValue',
    SECRET_ARN,
    async () => valueOf(secretOf(await secretsReader.read(scope(), { proxy: s.proxy }))).value,
  ],
  [
    'a customer managed key named by ARN',
    () => kms.on(DescribeKeyCommand).rejects(refusal()),
    'kms:DescribeKey',
    KEY_ARN,
    async () => (await kmsKeysReader.read(scope(), { secrets: await secretsReader.read(scope(), { proxy: s.proxy }) })).get(KEY_ARN)!,
  ],
  [
    'its key policy',
    () => kms.on(GetKeyPolicyCommand).rejects(refusal()),
    'kms:GetKeyPolicy',
    KEY_ARN,
    async () => valueOf((await kmsKeysReader.read(scope(), { secrets: await secretsReader.read(scope(), { proxy: s.proxy }) })).get(KEY_ARN)!).policy,
  ],
  ['the role', () => iam.on(GetRoleCommand).rejects(refusal()), 'iam:GetRole', ROLE_ARN, () => readRole(scope().clients, ROLE_ARN)],
  ...(
    [
      [ListRolePoliciesCommand, 'iam:ListRolePolicies', ROLE_ARN],
      [ListAttachedRolePoliciesCommand, 'iam:ListAttachedRolePolicies', ROLE_ARN],
      [GetRolePolicyCommand, 'iam:GetRolePolicy', ROLE_ARN],
      [GetPolicyCommand, 'iam:GetPolicy', MANAGED_POLICY],
      [GetPolicyVersionCommand, 'iam:GetPolicyVersion', MANAGED_POLICY],
    ] as const
  ).map(([command, action, resource]): (typeof cases)[number] => [
    `the role's policies (${action})`,
    () => iam.on(command as never).rejects(refusal()),
    action,
    resource,
    async () => valueOf(await readRole(scope().clients, ROLE_ARN)).policies,
  ]),
  [
    'the function of --lambda',
    () => lambda.on(GetFunctionConfigurationCommand).rejects(refusal()),
    'lambda:GetFunctionConfiguration',
    'arn:aws:lambda:us-east-1:*:function:orders-api',
    async () => (await lambdaReader.read(scope({ lambda: 'orders-api' }), {}))!,
  ],
  [
    'the proxy\'s log events',
    () => logs.on(FilterLogEventsCommand).rejects(refusal()),
    'logs:FilterLogEvents',
    'arn:aws:logs:us-east-1:*:log-group:/aws/rds/proxy/orders-proxy:*',
    () => recentLogsReader.read(scope(), {}),
  ],
];

describe('a read whose call AWS refuses', () => {
  it.each(cases)('%s: names the action denied and its resource', async (_what, refuse, action, resource, readIt) => {
    refuse();
    expect(await readIt()).toEqual({
      ok: false,
      error: `AccessDenied on ${action} for ${resource}`,
      code: 'AccessDeniedException',
      denied: { action, resource },
    });
    expect(DOCTOR_ACTIONS, `${action} is in iam-policy --for doctor`).toContain(action);
  });

  it('passes a refusal of the proxy on to the reads that start from it', async () => {
    rds.on(DescribeDBProxiesCommand).rejects(refusal());
    const proxy = await proxyReader.read(scope(), {});
    expect(await targetsReader.read(scope(), { proxy })).toMatchObject({
      ok: false,
      error: 'the proxy could not be read: AccessDenied on rds:DescribeDBProxies for arn:aws:rds:us-east-1:*:db-proxy:*',
      denied: { action: 'rds:DescribeDBProxies' },
    });
  });

  it('keeps a failure that is no refusal as it was, without a permission to add', async () => {
    rds.on(DescribeDBProxyTargetsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    const targets = await targetsReader.read(scope(), { proxy: s.proxy });
    expect(targets).toEqual(missing('reading the targets of RDS proxy orders-proxy: Rate exceeded (Throttling)', 'Throttling'));
  });
});
