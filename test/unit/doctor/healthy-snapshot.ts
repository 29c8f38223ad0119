import { ALL_CHECKS } from '../../../src/doctor/all-checks.js';
import type { CheckId, CheckResult, Permissions } from '../../../src/doctor/check.js';
import { localPermissions } from '../../../src/doctor/permissions.js';
import { got } from '../../../src/doctor/read.js';
import { runChecks } from '../../../src/doctor/run-checks.js';
import type { DoctorOptions, RoleSnapshot, Snapshot } from '../../../src/doctor/snapshot.js';

/** A proxy made by someone else's tool, in good health, as the discovery pass would see it. */
export const ACCOUNT = '111122223333';
export const PROXY_NAME = 'orders-proxy';
export const PROXY_ID = 'prx-0123456789abcdef0';
export const PROXY_ENDPOINT = 'orders-proxy.proxy-abcdefghijkl.us-east-1.rds.amazonaws.com';
export const CLUSTER_ENDPOINT = 'orders-db.cluster-abcdefghijkl.us-east-1.rds.amazonaws.com';
export const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:orders/db-AbCdEf`;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/orders-proxy-role`;
export const FN_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/orders-api-role`;
export const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const USER = 'app_owner';

const allTraffic = [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];
const tcp = (port: number, groupId: string) => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port, UserIdGroupPairs: [{ GroupId: groupId }] });

export function proxyRole(statements: unknown[] = [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET_ARN }]): RoleSnapshot {
  return {
    arn: ROLE_ARN,
    name: 'orders-proxy-role',
    trustPolicy: { Statement: [{ Effect: 'Allow', Principal: { Service: 'rds.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    policies: got([{ source: 'inline policy read-secret', document: { Statement: statements as never } }]),
  };
}

export function functionRole(statements?: unknown[]): RoleSnapshot {
  return {
    arn: FN_ROLE_ARN,
    name: 'orders-api-role',
    trustPolicy: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    policies: got([
      {
        source: 'inline policy api',
        document: {
          Statement: (statements ?? [
            { Effect: 'Allow', Action: 'rds-db:connect', Resource: `arn:aws:rds-db:us-east-1:${ACCOUNT}:dbuser:${PROXY_ID}/*` },
            { Effect: 'Allow', Action: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface'], Resource: '*' },
          ]) as never,
        },
      },
    ]),
  };
}

export function healthySnapshot(): Snapshot {
  return {
    region: 'us-east-1',
    proxyName: PROXY_NAME,
    identity: got({ account: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/ops` }),
    proxy: got({
      DBProxyName: PROXY_NAME,
      DBProxyArn: `arn:aws:rds:us-east-1:${ACCOUNT}:db-proxy:${PROXY_ID}`,
      Status: 'available',
      EngineFamily: 'POSTGRESQL',
      VpcId: 'vpc-1',
      VpcSecurityGroupIds: ['sg-proxy'],
      VpcSubnetIds: ['subnet-a', 'subnet-b'],
      Auth: [{ AuthScheme: 'SECRETS', SecretArn: SECRET_ARN, IAMAuth: 'REQUIRED' }],
      RoleArn: ROLE_ARN,
      Endpoint: PROXY_ENDPOINT,
      RequireTLS: true,
      DebugLogging: false,
    }),
    targets: got([
      { Type: 'TRACKED_CLUSTER', RdsResourceId: 'orders-db', Endpoint: CLUSTER_ENDPOINT, Port: 5432, TargetHealth: { State: 'AVAILABLE' } },
      { Type: 'RDS_INSTANCE', RdsResourceId: 'orders-writer', TrackedClusterId: 'orders-db', Port: 5432, TargetHealth: { State: 'AVAILABLE' } },
    ]),
    cluster: got({
      DBClusterIdentifier: 'orders-db',
      Engine: 'aurora-postgresql',
      EngineVersion: '16.6',
      EngineMode: 'provisioned',
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 4 },
      Status: 'available',
      Port: 5432,
      Endpoint: CLUSTER_ENDPOINT,
      ReaderEndpoint: 'orders-db.cluster-ro-abcdefghijkl.us-east-1.rds.amazonaws.com',
      VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-db', Status: 'active' }],
      DBClusterMembers: [{ DBInstanceIdentifier: 'orders-writer', IsClusterWriter: true }],
    }),
    instances: got([
      {
        DBInstanceIdentifier: 'orders-writer',
        DBInstanceClass: 'db.serverless',
        DBInstanceStatus: 'available',
        Engine: 'aurora-postgresql',
        Endpoint: { Address: 'orders-writer.abcdefghijkl.us-east-1.rds.amazonaws.com', Port: 5432 },
        DBSubnetGroup: { VpcId: 'vpc-1', Subnets: [{ SubnetIdentifier: 'subnet-db-a' }, { SubnetIdentifier: 'subnet-db-b' }] },
      },
    ]),
    databaseSubnetIds: got(['subnet-db-a', 'subnet-db-b']),
    securityGroups: got(
      new Map([
        ['sg-proxy', { GroupId: 'sg-proxy', VpcId: 'vpc-1', IpPermissions: [tcp(5432, 'sg-client')], IpPermissionsEgress: allTraffic }],
        ['sg-db', { GroupId: 'sg-db', VpcId: 'vpc-1', IpPermissions: [tcp(5432, 'sg-proxy')], IpPermissionsEgress: allTraffic }],
        ['sg-client', { GroupId: 'sg-client', VpcId: 'vpc-1', IpPermissions: [], IpPermissionsEgress: allTraffic }],
      ]),
    ),
    subnets: got(
      new Map([
        ['subnet-a', { SubnetId: 'subnet-a', VpcId: 'vpc-1', AvailabilityZone: 'us-east-1a', CidrBlock: '172.31.0.0/20', AvailableIpAddressCount: 4000 }],
        ['subnet-b', { SubnetId: 'subnet-b', VpcId: 'vpc-1', AvailabilityZone: 'us-east-1b', CidrBlock: '172.31.16.0/20', AvailableIpAddressCount: 4000 }],
        ['subnet-db-a', { SubnetId: 'subnet-db-a', VpcId: 'vpc-1', AvailabilityZone: 'us-east-1a', CidrBlock: '172.31.32.0/20', AvailableIpAddressCount: 4000 }],
        ['subnet-db-b', { SubnetId: 'subnet-db-b', VpcId: 'vpc-1', AvailabilityZone: 'us-east-1b', CidrBlock: '172.31.48.0/20', AvailableIpAddressCount: 4000 }],
      ]),
    ),
    secrets: new Map([
      [
        SECRET_ARN,
        got({
          arn: SECRET_ARN,
          name: 'orders/db',
          resourcePolicy: got(undefined),
          value: got({ json: true, keys: ['username', 'password', 'engine', 'host'], username: USER }),
        }),
      ],
    ]),
    role: got(proxyRole()),
    kmsKeys: new Map(),
    databaseUser: got({ user: USER, exists: true, inRdsIam: false }),
    lambda: got({
      name: 'orders-api',
      roleArn: FN_ROLE_ARN,
      subnetIds: ['subnet-a'],
      securityGroupIds: ['sg-client'],
      environment: { PGHOST: PROXY_ENDPOINT, PGPORT: '5432', PGUSER: USER, PGDATABASE: 'orders' },
      role: got(functionRole()),
    }),
    recentLogs: got({ logGroup: `/aws/rds/proxy/${PROXY_NAME}`, windowMinutes: 60, events: [], complete: true }),
  };
}

export const WITH_LAMBDA: DoctorOptions = { lambda: 'orders-api' };

/** Every check on the snapshot, by id; permissions are evaluated locally. */
export async function checkAll(
  snapshot: Snapshot,
  options: DoctorOptions = WITH_LAMBDA,
  permissions: Permissions = localPermissions('this test gives no simulator'),
): Promise<Map<CheckId, CheckResult>> {
  const results = await runChecks(ALL_CHECKS, { snapshot, options, permissions });
  return new Map(results.map((r) => [r.id, r]));
}

export async function check(id: CheckId, snapshot: Snapshot, options: DoctorOptions = WITH_LAMBDA): Promise<CheckResult> {
  return (await checkAll(snapshot, options)).get(id)!;
}

/** Mutable access to a Read that the fixture knows succeeded. */
export function value<T>(read: { ok: boolean }): T {
  return (read as unknown as { value: T }).value;
}
