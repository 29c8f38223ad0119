import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand, type Subnet, type SecurityGroup } from '@aws-sdk/client-ec2';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import {
  DBProxyNotFoundFault,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBProxiesCommand,
  DescribeDBProxyTargetsCommand,
  DescribeDBSubnetGroupsCommand,
  type DescribeDBProxiesCommandOutput,
  type DescribeDBProxyTargetsCommandOutput,
} from '@aws-sdk/client-rds';
import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDoctor } from '../../../src/doctor/run-doctor.js';
import { clients, ec2, ec2Holds, healthyAccount, iam, logs, PASSWORD, rds, resetAccount, sm, sts } from './healthy-account.js';
import { healthySnapshot, PROXY_NAME, SECRET_ARN, value } from './healthy-snapshot.js';

beforeEach(() => healthyAccount());
afterEach(() => resetAccount());

/** An answer the test gives when it chooses to. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((r) => setTimeout(r, 1));
};

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

  it("reads the subnets of the proxy's VPC in one call, and the database's subnet ids from its instances", async () => {
    const { snapshot } = await runDoctor({ clients: clients(), region: 'us-east-1', proxyName: PROXY_NAME, options: {} });
    expect(ec2.commandCalls(DescribeSubnetsCommand).map((c) => c.args[0].input)).toEqual([{ Filters: [{ Name: 'vpc-id', Values: ['vpc-1'] }] }]);
    expect(snapshot.databaseSubnetIds).toEqual({ ok: true, value: ['subnet-db-a', 'subnet-db-b'] });
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

  it('fails only the client check when --client-sg names a group that does not exist, naming it and the region', async () => {
    const { report } = await runDoctor({
      clients: clients(),
      region: 'us-east-1',
      proxyName: PROXY_NAME,
      options: { clientSecurityGroupId: 'sg-typo' },
    });
    const status = (id: string) => report.checks.find((c) => c.id === id)!;
    expect(status('sg.client-to-proxy').status).toBe('fail');
    expect(status('sg.client-to-proxy').evidence).toContain('security group sg-typo was not found in us-east-1');
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['sg.client-to-proxy']);
    expect(status('sg.proxy-to-cluster').status).toBe('pass');
    expect(status('sg.proxy-egress-secrets').status).toBe('pass');
  });
});

describe('the discovery pass when reads fail', () => {
  it('keeps the secret\'s password out of the snapshot and the report', async () => {
    const { report, snapshot } = await runDoctor({ clients: clients(), region: 'us-east-1', proxyName: PROXY_NAME, options: { user: 'app_owner' } });
    const seen = JSON.stringify(report) + JSON.stringify(snapshot, (_k, v: unknown) => (v instanceof Map ? [...v.entries()] : v));
    expect(seen).toContain('app_owner');
    expect(seen).not.toContain(PASSWORD);
  });

  it('goes on when a read is denied: secret.shape is skipped with the reason, the rest still run', async () => {
    sm.on(GetSecretValueCommand).rejects(
      new SecretsManagerServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: {}, message: 'User is not authorized to perform GetSecretValue' }),
    );
    const { report } = await runDoctor({ clients: clients(), region: 'us-east-1', proxyName: PROXY_NAME, options: {} });
    const shape = report.checks.find((c) => c.id === 'secret.shape')!;
    expect(shape.status).toBe('skip');
    expect(shape.evidence).toContain(`AccessDenied on secretsmanager:GetSecretValue for ${SECRET_ARN}`);
    expect(report.checks.find((c) => c.id === 'sg.proxy-to-cluster')!.status).toBe('pass');
  });

  it('reports a proxy that does not exist as proxy.status failing, with nothing else read', async () => {
    rds.on(DescribeDBProxiesCommand).rejects(new DBProxyNotFoundFault({ message: `DBProxy ${PROXY_NAME} not found.`, $metadata: {} }));
    const { report } = await runDoctor({ clients: clients(), region: 'us-east-1', proxyName: PROXY_NAME, options: {} });
    expect(report.summary.fail).toBe(1);
    expect(report.checks.find((c) => c.id === 'proxy.status')!.status).toBe('fail');
    expect(rds.commandCalls(DescribeDBProxyTargetsCommand)).toHaveLength(0);
  });
});

describe('the order of the reads', () => {
  it('reads the caller identity and the proxy\'s logs while the proxy is still being read', async () => {
    const proxyAnswer = deferred<DescribeDBProxiesCommandOutput>();
    rds.on(DescribeDBProxiesCommand).callsFake(() => proxyAnswer.promise);
    const run = runDoctor({ clients: clients(), region: 'us-east-1', proxyName: PROXY_NAME, options: {} });
    await until(() => sts.commandCalls(GetCallerIdentityCommand).length > 0 && logs.commandCalls(FilterLogEventsCommand).length > 0);
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
    expect(logs.commandCalls(FilterLogEventsCommand)).toHaveLength(1);
    expect(rds.commandCalls(DescribeDBProxyTargetsCommand)).toHaveLength(0);
    proxyAnswer.resolve({ DBProxies: [value(healthySnapshot().proxy)], $metadata: {} });
    expect((await run).report.summary.fail).toBe(0);
  });

  it('reads the role and the secret as soon as the proxy is known, without waiting for its targets', async () => {
    const targetsAnswer = deferred<DescribeDBProxyTargetsCommandOutput>();
    rds.on(DescribeDBProxyTargetsCommand).callsFake(() => targetsAnswer.promise);
    const run = runDoctor({ clients: clients(), region: 'us-east-1', proxyName: PROXY_NAME, options: {} });
    await until(() => iam.commandCalls(GetRoleCommand).length > 0 && sm.commandCalls(DescribeSecretCommand).length > 0);
    expect(iam.commandCalls(GetRoleCommand)).toHaveLength(1);
    expect(sm.commandCalls(DescribeSecretCommand)).toHaveLength(1);
    expect(rds.commandCalls(DescribeDBClustersCommand)).toHaveLength(0);
    targetsAnswer.resolve({ Targets: value(healthySnapshot().targets), $metadata: {} });
    expect((await run).report.summary.fail).toBe(0);
  });
});
