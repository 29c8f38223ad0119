import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBProxiesCommand,
  DescribeDBProxyTargetsCommand,
  DBProxyNotFoundFault,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients, type AwsClients } from '../../../src/aws/clients.js';
import { resolveTarget } from '../../../src/connect/resolve-target.js';
import { CliError } from '../../../src/errors.js';

const ENDPOINT = 'orders-proxy.proxy-abc123xyz.us-east-1.rds.amazonaws.com';
const rds = mockClient(RDSClient);

/** The real factory for RDS; any other client is a test failure, since connect must not load it. */
function rdsOnlyClients(): AwsClients {
  const real = createAwsClients({ region: 'us-east-1' });
  const forbidden = (name: string) => () => Promise.reject(new Error(`connect loaded the ${name} client`));
  return {
    settings: real.settings,
    abortCallsInFlight: real.abortCallsInFlight,
    rds: real.rds,
    ec2: forbidden('EC2'),
    iam: forbidden('IAM'),
    secretsManager: forbidden('Secrets Manager'),
    sts: forbidden('STS'),
    kms: forbidden('KMS'),
    lambda: forbidden('Lambda'),
    lambdaInvoke: forbidden('Lambda'),
    ssm: forbidden('SSM'),
    rdsData: forbidden('RDS Data'),
    logs: forbidden('CloudWatch Logs'),
  };
}

const request = { proxyName: 'orders-proxy', fromStack: false, stack: 'demo' };

describe('resolving what connect connects to', () => {
  beforeEach(() => {
    rds.reset();
    rds.on(DescribeDBProxiesCommand, { DBProxyName: 'orders-proxy' }).resolves({
      DBProxies: [
        { DBProxyName: 'orders-proxy', EngineFamily: 'POSTGRESQL', Status: 'available', Endpoint: ENDPOINT, VpcId: 'vpc-0a1b2c3d' },
      ],
    });
    rds.on(DescribeDBProxyTargetsCommand, { DBProxyName: 'orders-proxy' }).resolves({
      Targets: [
        { Type: 'TRACKED_CLUSTER', RdsResourceId: 'orders-db', Port: 5432 },
        { Type: 'RDS_INSTANCE', RdsResourceId: 'orders-db-writer', Port: 5432 },
      ],
    });
    rds.on(DescribeDBClustersCommand, { DBClusterIdentifier: 'orders-db' }).resolves({
      DBClusters: [{ DBClusterIdentifier: 'orders-db', MasterUsername: 'appadmin', DatabaseName: 'orders' }],
    });
  });
  afterEach(() => {
    rds.reset();
  });

  it("takes the proxy endpoint, port 5432, and the cluster's master user and database by default", async () => {
    const target = await resolveTarget(rdsOnlyClients(), request);

    expect(target).toEqual({
      proxyName: 'orders-proxy',
      host: ENDPOINT,
      port: 5432,
      user: 'appadmin',
      database: 'orders',
      region: 'us-east-1',
      vpcId: 'vpc-0a1b2c3d',
    });
  });

  it('uses --user and --db as given without reading the cluster', async () => {
    const target = await resolveTarget(rdsOnlyClients(), { ...request, user: 'reporting', database: 'analytics' });

    expect(target).toMatchObject({ user: 'reporting', database: 'analytics' });
    expect(rds.commandCalls(DescribeDBProxyTargetsCommand)).toHaveLength(0);
    expect(rds.commandCalls(DescribeDBClustersCommand)).toHaveLength(0);
  });

  it('falls back to the postgres database when the cluster was created without one', async () => {
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ DBClusterIdentifier: 'orders-db', MasterUsername: 'appadmin' }] });

    const target = await resolveTarget(rdsOnlyClients(), request);

    expect(target.database).toBe('postgres');
  });

  it('reads the master user of an RDS instance when the proxy fronts an instance, not a cluster', async () => {
    rds.on(DescribeDBProxyTargetsCommand).resolves({ Targets: [{ Type: 'RDS_INSTANCE', RdsResourceId: 'legacy-pg' }] });
    rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: 'legacy-pg' }).resolves({
      DBInstances: [{ DBInstanceIdentifier: 'legacy-pg', MasterUsername: 'legacy_admin', DBName: 'legacy' }],
    });

    const target = await resolveTarget(rdsOnlyClients(), request);

    expect(target).toMatchObject({ user: 'legacy_admin', database: 'legacy' });
  });

  it('asks for --user when the proxy has no target to read the user from', async () => {
    rds.on(DescribeDBProxyTargetsCommand).resolves({ Targets: [] });

    const failure = resolveTarget(rdsOnlyClients(), request);

    await expect(failure).rejects.toThrow('Could not tell the database user of RDS proxy orders-proxy');
    await expect(failure).rejects.toMatchObject({ hint: expect.stringContaining('Pass --user') });
  });

  it('says a missing stack proxy needs `up`', async () => {
    rds.on(DescribeDBProxiesCommand).rejects(new DBProxyNotFoundFault({ message: 'not found', $metadata: {} }));

    const failure = resolveTarget(rdsOnlyClients(), { proxyName: 'demo-proxy', fromStack: true, stack: 'demo' });

    await expect(failure).rejects.toThrow('RDS proxy demo-proxy was not found in us-east-1.');
    await expect(failure).rejects.toMatchObject({ exitCode: 1, hint: expect.stringContaining('rdsproxy-setup up --name demo') });
  });

  it('says a missing --proxy may be a wrong name or region', async () => {
    rds.on(DescribeDBProxiesCommand).rejects(new DBProxyNotFoundFault({ message: 'not found', $metadata: {} }));

    const failure = resolveTarget(rdsOnlyClients(), { ...request, proxyName: 'typo-proxy' });

    await expect(failure).rejects.toMatchObject({ hint: expect.stringContaining('Check --proxy and --region') });
  });

  it('refuses a proxy for another engine family', async () => {
    rds.on(DescribeDBProxiesCommand).resolves({
      DBProxies: [{ DBProxyName: 'orders-proxy', EngineFamily: 'MYSQL', Endpoint: ENDPOINT }],
    });

    const failure = resolveTarget(rdsOnlyClients(), request);

    await expect(failure).rejects.toBeInstanceOf(CliError);
    await expect(failure).rejects.toThrow('RDS proxy orders-proxy is for MYSQL; connect speaks PostgreSQL only.');
  });

  it('wraps other AWS errors with what it was doing', async () => {
    rds.on(DescribeDBProxiesCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' }));

    await expect(resolveTarget(rdsOnlyClients(), request)).rejects.toThrow(
      'reading RDS proxy orders-proxy: User is not authorized',
    );
  });
});
