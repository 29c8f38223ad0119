import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBProxiesCommand,
  DescribeDBProxyTargetGroupsCommand,
  DescribeDBProxyTargetsCommand,
  DescribeDBSubnetGroupsCommand,
  ListTagsForResourceCommand,
  type DBCluster,
  type DBProxy,
} from '@aws-sdk/client-rds';
import { DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand, type SecurityGroup } from '@aws-sdk/client-ec2';
import { GetRoleCommand, GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAccountInventory, type AccountInventory } from './support/account-inventory.js';
import { resourceChanges } from './support/inventory-changes.js';
import { runCli, type CliResult } from './support/cli.js';
import { useSandbox } from './support/sandbox.js';
import { stackReads } from './support/stack-reads.js';

const STACK = 'e2e-full';
const TAG = { Key: 'rdsproxy-setup:stack', Value: STACK };

describe('up on an empty account', () => {
  const sandbox = useSandbox({ resetEachTest: false });
  let result: CliResult;
  let cluster: DBCluster;
  let proxy: DBProxy;
  let groups: SecurityGroup[];
  let emptyAccount: AccountInventory;
  let afterUp: AccountInventory;

  beforeAll(async () => {
    emptyAccount = await readAccountInventory(sandbox);
    result = await runCli(['up', '--name', STACK, '--json'], sandbox.env);
    afterUp = await readAccountInventory(sandbox);
    const reads = stackReads(sandbox);
    cluster = (await reads.rds().send(new DescribeDBClustersCommand({ DBClusterIdentifier: `${STACK}-cluster` })))
      .DBClusters![0]!;
    proxy = (await reads.rds().send(new DescribeDBProxiesCommand({ DBProxyName: `${STACK}-proxy` }))).DBProxies![0]!;
    groups = (await reads.ec2().send(new DescribeSecurityGroupsCommand({}))).SecurityGroups!.filter((g) =>
      g.GroupName!.startsWith(STACK),
    );
  });
  const group = (suffix: string) => groups.find((g) => g.GroupName === `${STACK}-${suffix}`)!;
  const iam = () => new IAMClient(sandbox.clientConfig);

  it('succeeds and reports every step as created, with the outputs a client needs', () => {
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.stack).toBe(STACK);
    expect(report.region).toBe('us-east-1');
    expect(report.resources.map((r: { step: string }) => r.step)).toEqual([
      'network', 'subnet-group', 'proxy-sg', 'cluster-sg', 'secret', 'cluster',
      'secret-host', 'instance', 'role', 'proxy', 'target-group', 'target',
    ]);
    expect(report.resources.find((r: { step: string }) => r.step === 'cluster').action).toBe('created');
    expect(report.outputs.proxyEndpoint).toBe(proxy.Endpoint);
    expect(report.outputs.proxyArn).toBe(proxy.DBProxyArn);
    expect(report.outputs.proxyResourceId).toMatch(/^prx-/);
    expect(proxy.DBProxyArn!.endsWith(report.outputs.proxyResourceId)).toBe(true);
    expect(report.outputs.connectResourceArn).toBe(
      `arn:aws:rds-db:us-east-1:123456789012:dbuser:${report.outputs.proxyResourceId}/postgres`,
    );
  });

  it('creates exactly the resources of the stack and changes nothing else in the account', () => {
    expect(resourceChanges(emptyAccount, afterUp)).toEqual({
      added: {
        clusters: [`${STACK}-cluster`],
        // Aurora takes the cluster's first automated snapshot itself when the cluster is created.
        clusterSnapshots: [expect.stringMatching(new RegExp(`^rds:${STACK}-cluster-\\d{4}(-\\d{2}){4}$`))],
        dbSubnetGroups: [`${STACK}-subnets`],
        instances: [`${STACK}-writer`],
        proxies: [`${STACK}-proxy`],
        proxyTargetGroups: [`${STACK}-proxy/default`],
        proxyTargets: [`${STACK}-proxy/default/RDS_INSTANCE ${STACK}-writer`, `${STACK}-proxy/default/TRACKED_CLUSTER ${STACK}-cluster`],
        roles: [`rdsproxy-${STACK}-us-east-1`],
        secrets: [`rdsproxy-setup/${STACK}/master`],
        securityGroups: [`${STACK}-cluster-sg`, `${STACK}-proxy-sg`],
      },
      changed: {},
      removed: {},
    });
  });

  it('makes an Aurora PostgreSQL Serverless v2 cluster with IAM auth, encryption and deletion protection', () => {
    expect(cluster.Engine).toBe('aurora-postgresql');
    expect(cluster.EngineMode).toBe('provisioned');
    expect(cluster.ServerlessV2ScalingConfiguration).toEqual({ MinCapacity: 0.5, MaxCapacity: 2 });
    expect(cluster.IAMDatabaseAuthenticationEnabled).toBe(true);
    expect(cluster.StorageEncrypted).toBe(true);
    expect(cluster.DeletionProtection).toBe(true);
    expect(cluster.DatabaseName).toBe('app');
    expect(cluster.MasterUsername).toBe('postgres');
    expect(cluster.VpcSecurityGroups!.map((g) => g.VpcSecurityGroupId)).toEqual([group('cluster-sg').GroupId]);
    expect(cluster.DBSubnetGroup).toBe(`${STACK}-subnets`);
    expect(cluster.TagList).toContainEqual(TAG);
  });

  it('adds a db.serverless writer instance to the cluster', async () => {
    const { DBInstances } = await stackReads(sandbox)
      .rds()
      .send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: `${STACK}-writer` }));
    expect(DBInstances![0]!.DBInstanceClass).toBe('db.serverless');
    expect(DBInstances![0]!.DBClusterIdentifier).toBe(`${STACK}-cluster`);
    expect(DBInstances![0]!.TagList).toContainEqual(TAG);
  });

  it('keeps the master credentials in a tagged secret whose host is the cluster endpoint', async () => {
    const secrets = stackReads(sandbox).secrets();
    const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: `rdsproxy-setup/${STACK}/master` }));
    const value = JSON.parse(SecretString!);
    expect(Object.keys(value).sort()).toEqual(['dbClusterIdentifier', 'engine', 'host', 'password', 'port', 'username']);
    expect(value).toMatchObject({ username: 'postgres', engine: 'postgres', port: 5432, dbClusterIdentifier: `${STACK}-cluster` });
    expect(value.host).toBe(cluster.Endpoint);
    expect(value.password).toMatch(/^[^/@"' ]{32,}$/);
    const { Tags } = await secrets.send(new DescribeSecretCommand({ SecretId: `rdsproxy-setup/${STACK}/master` }));
    expect(Tags).toContainEqual(TAG);
  });

  it('gives the proxy a role trusted by RDS that may read only that secret, and decrypt only through Secrets Manager', async () => {
    const roleName = `rdsproxy-${STACK}-us-east-1`;
    const { Role } = await iam().send(new GetRoleCommand({ RoleName: roleName }));
    const trust = JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!));
    expect(trust.Statement).toEqual([
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'rds.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    ]);
    expect(Role!.Tags).toContainEqual(TAG);
    const { PolicyDocument } = await iam().send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'read-master-secret' }));
    const statements = JSON.parse(decodeURIComponent(PolicyDocument!)).Statement as Record<string, unknown>[];
    expect(statements).toHaveLength(2);
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: proxy.Auth![0]!.SecretArn }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
      }),
    );
    expect(proxy.RoleArn).toBe(Role!.Arn);
  });

  it('makes a PostgreSQL proxy that requires TLS and IAM auth, in two or more subnets, behind its own security group', async () => {
    expect(proxy.EngineFamily).toBe('POSTGRESQL');
    expect(proxy.RequireTLS).toBe(true);
    expect(proxy.Auth).toEqual([
      expect.objectContaining({ AuthScheme: 'SECRETS', IAMAuth: 'REQUIRED', SecretArn: expect.stringContaining(`rdsproxy-setup/${STACK}/master`) }),
    ]);
    expect(proxy.VpcSubnetIds!.length).toBeGreaterThanOrEqual(2);
    expect(proxy.VpcSecurityGroupIds).toEqual([group('proxy-sg').GroupId]);
    const { TagList } = await stackReads(sandbox).rds().send(new ListTagsForResourceCommand({ ResourceName: proxy.DBProxyArn }));
    expect(TagList).toContainEqual(TAG);
  });

  it('sets the pool to a 120 s borrow timeout, 100 % connections and 50 % idle', async () => {
    const { TargetGroups } = await stackReads(sandbox)
      .rds()
      .send(new DescribeDBProxyTargetGroupsCommand({ DBProxyName: `${STACK}-proxy` }));
    expect(TargetGroups![0]!.ConnectionPoolConfig).toMatchObject({
      ConnectionBorrowTimeout: 120,
      MaxConnectionsPercent: 100,
      MaxIdleConnectionsPercent: 50,
    });
  });

  it('registers the cluster, not the instance, as the proxy target', async () => {
    const { Targets } = await stackReads(sandbox).rds().send(new DescribeDBProxyTargetsCommand({ DBProxyName: `${STACK}-proxy` }));
    expect(Targets).toContainEqual(expect.objectContaining({ Type: 'TRACKED_CLUSTER', RdsResourceId: `${STACK}-cluster` }));
    expect(Targets!.some((t) => t.RdsResourceId === `${STACK}-writer` && t.Type !== 'RDS_INSTANCE')).toBe(false);
  });

  it('lets only the proxy security group reach the cluster on 5432', async () => {
    const { SecurityGroupRules } = await stackReads(sandbox)
      .ec2()
      .send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [group('cluster-sg').GroupId!] }] }));
    const ingress = SecurityGroupRules!.filter((r) => !r.IsEgress);
    expect(ingress).toHaveLength(1);
    expect(ingress[0]).toMatchObject({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432 });
    expect(ingress[0]!.ReferencedGroupInfo?.GroupId).toBe(group('proxy-sg').GroupId);
    expect(ingress[0]!.CidrIpv4).toBeUndefined();
  });

  it('tags both security groups and the subnet group with the stack', async () => {
    expect(group('proxy-sg').Tags).toContainEqual(TAG);
    expect(group('cluster-sg').Tags).toContainEqual(TAG);
    const rds = stackReads(sandbox).rds();
    const { DBSubnetGroups } = await rds.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: `${STACK}-subnets` }));
    expect(DBSubnetGroups![0]!.Subnets!.length).toBeGreaterThanOrEqual(2);
    const { TagList } = await rds.send(new ListTagsForResourceCommand({ ResourceName: DBSubnetGroups![0]!.DBSubnetGroupArn }));
    expect(TagList).toContainEqual(TAG);
  });
});
