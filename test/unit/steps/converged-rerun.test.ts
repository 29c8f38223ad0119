import {
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  type SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import { GetRoleCommand, GetRolePolicyCommand, IAMClient, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBProxiesCommand,
  DescribeDBProxyTargetGroupsCommand,
  DescribeDBProxyTargetsCommand,
  DescribeDBSubnetGroupsCommand,
  ListTagsForResourceCommand,
  ModifyDBProxyCommand,
  RDSClient,
  type DBProxy,
} from '@aws-sdk/client-rds';
import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { planStack } from '../../../src/steps/plan.js';
import { readSecretPolicy } from '../../../src/steps/role-policies.js';
import { runStack, type StepOutcome } from '../../../src/steps/runner.js';
import { STACK_STEPS } from '../../../src/steps/stack.js';
import { stepContext } from '../support/step-context.js';

const rds = mockClient(RDSClient);
const ec2 = mockClient(EC2Client);
const iam = mockClient(IAMClient);
const sm = mockClient(SecretsManagerClient);
const MOCKS = [rds, ec2, iam, sm];

const ACCOUNT_ID = '123456789012';
const TAGS = [{ Key: 'rdsproxy-setup:stack', Value: 'unit-stack' }];
const VPC_ID = 'vpc-0default';
const VPC_CIDR = '172.31.0.0/16';
const SUBNETS = [
  { SubnetId: 'subnet-0a', VpcId: VPC_ID, AvailabilityZone: 'us-east-1a' },
  { SubnetId: 'subnet-0b', VpcId: VPC_ID, AvailabilityZone: 'us-east-1b' },
  { SubnetId: 'subnet-0c', VpcId: VPC_ID, AvailabilityZone: 'us-east-1c' },
];
const PROXY_SG = 'sg-0proxy';
const CLUSTER_SG = 'sg-0cluster';
const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:rdsproxy-setup/unit-stack/master-AbCdEf`;
const CLUSTER_ENDPOINT = 'unit-stack-cluster.cluster-c0ffee.us-east-1.rds.amazonaws.com';
const PROXY_ARN = `arn:aws:rds:us-east-1:${ACCOUNT_ID}:db-proxy:prx-0123456789abcdef0`;

/** Each step's reads, all of which a converged re-run must make (so the check cannot pass on no calls). */
const EVERY_STEPS_READ = [
  'DescribeVpcsCommand',
  'DescribeSubnetsCommand',
  'DescribeDBSubnetGroupsCommand',
  'ListTagsForResourceCommand',
  'DescribeSecurityGroupsCommand',
  'DescribeSecurityGroupRulesCommand',
  'DescribeSecretCommand',
  'GetSecretValueCommand',
  'DescribeDBClustersCommand',
  'DescribeDBInstancesCommand',
  'GetRoleCommand',
  'GetRolePolicyCommand',
  'ListRolePoliciesCommand',
  'DescribeDBProxiesCommand',
  'DescribeDBProxyTargetGroupsCommand',
  'DescribeDBProxyTargetsCommand',
];

const STEP_IDS = [
  'network',
  'subnet-group',
  'proxy-sg',
  'cluster-sg',
  'secret',
  'cluster',
  'secret-host',
  'instance',
  'role',
  'proxy',
  'target-group',
  'target',
];

type FilteredInput = { Filters?: { Name?: string; Values?: string[] }[] };

function ingress(groupId: string, rule: Partial<SecurityGroupRule>): SecurityGroupRule {
  return {
    GroupId: groupId,
    SecurityGroupRuleId: `sgr-${groupId}`,
    IsEgress: false,
    IpProtocol: 'tcp',
    FromPort: 5432,
    ToPort: 5432,
    ...rule,
  };
}

function allOutbound(groupId: string): SecurityGroupRule {
  const id = `sgr-${groupId}-out`;
  return { GroupId: groupId, SecurityGroupRuleId: id, IsEgress: true, IpProtocol: '-1', CidrIpv4: '0.0.0.0/0' };
}

function refuseUnanswered(mock: { reset(): void; onAnyCommand(): { rejects(error: Error): unknown } }): void {
  mock.reset();
  mock.onAnyCommand().rejects(new Error('no fixture for this call in the converged account'));
}

/** The proxy as an earlier `up` left it: what the defaults ask for. */
function convergedProxy(): DBProxy {
  return {
    DBProxyName: 'unit-stack-proxy',
    DBProxyArn: PROXY_ARN,
    Status: 'available',
    EngineFamily: 'POSTGRESQL',
    VpcId: VPC_ID,
    Endpoint: 'unit-stack-proxy.proxy-c0ffee.us-east-1.rds.amazonaws.com',
    RequireTLS: true,
    IdleClientTimeout: 1800,
    DebugLogging: false,
    Auth: [{ AuthScheme: 'SECRETS', SecretArn: SECRET_ARN, IAMAuth: 'REQUIRED', Description: 'master user secret' }],
  };
}

/**
 * An account holding the whole stack of `unit-stack`, built and converged by an earlier `up`.
 * Every read the steps make is answered from it; any other call is refused, so a write that
 * slipped in fails loudly as well as showing up in the recorded calls.
 */
function givenConvergedAccount(): { proxy: DBProxy } {
  const state = { proxy: convergedProxy() };
  for (const mock of MOCKS) refuseUnanswered(mock);

  ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: VPC_ID, CidrBlock: VPC_CIDR, IsDefault: true }] });
  ec2.on(DescribeSubnetsCommand).resolves({ Subnets: SUBNETS });
  ec2.on(DescribeSecurityGroupsCommand).callsFake((input: FilteredInput) => {
    const name = input.Filters?.find((f) => f.Name === 'group-name')?.Values?.[0];
    const id = name === 'unit-stack-proxy-sg' ? PROXY_SG : name === 'unit-stack-cluster-sg' ? CLUSTER_SG : undefined;
    return { SecurityGroups: id ? [{ GroupId: id, GroupName: name, VpcId: VPC_ID, Tags: TAGS }] : [] };
  });
  ec2.on(DescribeSecurityGroupRulesCommand).callsFake((input: FilteredInput) => {
    const groupId = input.Filters?.find((f) => f.Name === 'group-id')?.Values?.[0];
    if (groupId === PROXY_SG) {
      return { SecurityGroupRules: [ingress(PROXY_SG, { CidrIpv4: VPC_CIDR }), allOutbound(PROXY_SG)] };
    }
    if (groupId === CLUSTER_SG) {
      return {
        SecurityGroupRules: [ingress(CLUSTER_SG, { ReferencedGroupInfo: { GroupId: PROXY_SG } }), allOutbound(CLUSTER_SG)],
      };
    }
    return { SecurityGroupRules: [] };
  });

  sm.on(DescribeSecretCommand).resolves({ ARN: SECRET_ARN, Name: 'rdsproxy-setup/unit-stack/master', Tags: TAGS });
  sm.on(GetSecretValueCommand).resolves({
    ARN: SECRET_ARN,
    SecretString: JSON.stringify({
      username: 'postgres',
      password: 'not-a-real-password',
      engine: 'postgres',
      port: 5432,
      dbClusterIdentifier: 'unit-stack-cluster',
      host: CLUSTER_ENDPOINT,
    }),
  });

  iam.on(GetRoleCommand).resolves({
    Role: {
      RoleName: 'rdsproxy-unit-stack-us-east-1',
      RoleId: 'AROA0000000000EXAMPLE',
      Arn: `arn:aws:iam::${ACCOUNT_ID}:role/rdsproxy-unit-stack-us-east-1`,
      Path: '/',
      CreateDate: new Date('2025-01-01T00:00:00Z'),
      Tags: TAGS,
    },
  });
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['read-master-secret'], IsTruncated: false });
  // IAM hands policy documents back URL-encoded.
  iam.on(GetRolePolicyCommand).resolves({
    RoleName: 'rdsproxy-unit-stack-us-east-1',
    PolicyName: 'read-master-secret',
    PolicyDocument: encodeURIComponent(JSON.stringify(readSecretPolicy('us-east-1', SECRET_ARN))),
  });

  rds.on(DescribeDBSubnetGroupsCommand).resolves({
    DBSubnetGroups: [
      {
        DBSubnetGroupName: 'unit-stack-subnets',
        DBSubnetGroupArn: `arn:aws:rds:us-east-1:${ACCOUNT_ID}:subgrp:unit-stack-subnets`,
        VpcId: VPC_ID,
        Subnets: SUBNETS.map((s) => ({
          SubnetIdentifier: s.SubnetId,
          SubnetAvailabilityZone: { Name: s.AvailabilityZone },
        })),
      },
    ],
  });
  rds.on(ListTagsForResourceCommand).resolves({ TagList: TAGS });
  rds.on(DescribeDBClustersCommand).resolves({
    DBClusters: [
      {
        DBClusterIdentifier: 'unit-stack-cluster',
        DBClusterArn: `arn:aws:rds:us-east-1:${ACCOUNT_ID}:cluster:unit-stack-cluster`,
        Status: 'available',
        Engine: 'aurora-postgresql',
        Endpoint: CLUSTER_ENDPOINT,
        Port: 5432,
        MasterUsername: 'postgres',
        DatabaseName: 'app',
        DeletionProtection: true,
        IAMDatabaseAuthenticationEnabled: true,
        ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 2 },
        TagList: TAGS,
      },
    ],
  });
  rds.on(DescribeDBInstancesCommand).resolves({
    DBInstances: [
      {
        DBInstanceIdentifier: 'unit-stack-writer',
        DBInstanceArn: `arn:aws:rds:us-east-1:${ACCOUNT_ID}:db:unit-stack-writer`,
        DBInstanceStatus: 'available',
        DBInstanceClass: 'db.serverless',
        DBClusterIdentifier: 'unit-stack-cluster',
        TagList: TAGS,
      },
    ],
  });
  rds.on(DescribeDBProxiesCommand).callsFake(() => ({ DBProxies: [state.proxy] }));
  rds.on(DescribeDBProxyTargetGroupsCommand).resolves({
    TargetGroups: [
      {
        DBProxyName: 'unit-stack-proxy',
        TargetGroupName: 'default',
        IsDefault: true,
        Status: 'available',
        ConnectionPoolConfig: { ConnectionBorrowTimeout: 120, MaxConnectionsPercent: 100, MaxIdleConnectionsPercent: 50 },
      },
    ],
  });
  rds.on(DescribeDBProxyTargetsCommand).resolves({
    Targets: [
      { Type: 'TRACKED_CLUSTER', TrackedClusterId: 'unit-stack-cluster', TargetHealth: { State: 'AVAILABLE' } },
      {
        Type: 'RDS_INSTANCE',
        RdsResourceId: 'unit-stack-writer',
        TrackedClusterId: 'unit-stack-cluster',
        Endpoint: 'unit-stack-writer.c0ffee.us-east-1.rds.amazonaws.com',
        Port: 5432,
        Role: 'READ_WRITE',
        TargetHealth: { State: 'AVAILABLE' },
      },
    ],
  });
  return state;
}

/** `up` on an existing stack: the plan (reads and drift), then the run. */
async function runUp(): Promise<StepOutcome[]> {
  const ctx = stepContext();
  const abort = new AbortController();
  const plan = await planStack(ctx, STACK_STEPS);
  const run = await runStack({ ...ctx, signal: abort.signal }, { steps: STACK_STEPS, plan, abort, rollback: true, emit: () => undefined });
  if (!run.ok) throw new Error(`up failed: ${String(run.failure?.error)}`);
  return run.outcomes;
}

/** The class name of every command sent to any mocked client. */
function sentCommands(): string[] {
  return MOCKS.flatMap((mock) => mock.calls().map((call) => (call.args[0] as object).constructor.name));
}

const isRead = (command: string) => /^(Describe|Get|List)[A-Za-z]*Command$/.test(command);

describe('up on a stack that is already converged', () => {
  let proxy: DBProxy;

  beforeEach(() => {
    ({ proxy } = givenConvergedAccount());
  });

  it('reports every step as existing and sends read calls only', async () => {
    const outcomes = await runUp();

    expect(outcomes.map((o) => [o.step, o.action])).toEqual(STEP_IDS.map((id) => [id, 'exists']));
    const commands = sentCommands();
    expect(commands.filter((c) => !isRead(c))).toEqual([]);
    expect([...new Set(commands)]).toEqual(expect.arrayContaining(EVERY_STEPS_READ));
  });

  it('repairs one drifted setting with exactly one write: RequireTLS turned off on the proxy', async () => {
    proxy.RequireTLS = false;
    rds.on(ModifyDBProxyCommand).callsFake((input: { RequireTLS?: boolean }) => {
      proxy.RequireTLS = input.RequireTLS;
      return { DBProxy: proxy };
    });

    const outcomes = await runUp();

    expect(sentCommands().filter((c) => !isRead(c))).toEqual(['ModifyDBProxyCommand']);
    expect(rds.commandCalls(ModifyDBProxyCommand)[0]!.args[0].input).toMatchObject({
      DBProxyName: 'unit-stack-proxy',
      RequireTLS: true,
    });
    const changed = outcomes.filter((o) => o.action !== 'exists');
    expect(changed.map((o) => [o.step, o.action])).toEqual([['proxy', 'updated']]);
  });
});
