import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBProxiesCommand,
  DescribeDBProxyTargetGroupsCommand,
  DescribeDBProxyTargetsCommand,
  DescribeDBSubnetGroupsCommand,
  type DBCluster,
  type DBInstance,
  type DBProxy,
  type DBProxyTarget,
  type DBProxyTargetGroup,
} from '@aws-sdk/client-rds';
import {
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  type SecurityGroup,
  type Subnet,
  type Vpc,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import {
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
} from '@aws-sdk/client-secrets-manager';
import { DescribeKeyCommand, GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws/clients.js';
import type { DoctorOptions } from './check.js';
import type { PolicyHolder } from './permissions.js';
import { parsePolicy, type NamedPolicy, type PolicyDocument } from './policy-evaluation.js';
import { got, missing, read, type Read } from './read.js';
import { allowsPort } from './rules.js';

export interface RoleSnapshot extends PolicyHolder {
  name: string;
  trustPolicy: PolicyDocument;
}

/** What the secret's value looks like: only key names and the username, never the password. */
export interface SecretShape {
  json: boolean;
  keys: string[];
  username?: string;
}

export interface SecretSnapshot {
  arn: string;
  name: string;
  deletedDate?: Date;
  kmsKeyId?: string;
  resourcePolicy?: PolicyDocument;
  value: Read<SecretShape>;
}

export interface KmsKeySnapshot {
  arn: string;
  keyId: string;
  enabled: boolean;
  keyState: string;
  keyManager: string;
  policy: Read<PolicyDocument>;
}

export interface LambdaSnapshot {
  name: string;
  roleArn: string;
  subnetIds: string[];
  securityGroupIds: string[];
  environment: Record<string, string>;
  role: Read<RoleSnapshot>;
}

export interface LogEvents {
  logGroup: string;
  windowMinutes: number;
  events: { timestamp: number; message: string }[];
  /** False when the read stopped at its page or event limit before the end of the window. */
  complete: boolean;
}

/** Everything the checks look at, each resource read once. */
export interface Snapshot {
  region: string;
  proxyName: string;
  identity: Read<{ account: string; arn: string }>;
  proxy: Read<DBProxy>;
  targetGroup: Read<DBProxyTargetGroup | undefined>;
  targets: Read<DBProxyTarget[]>;
  /** Undefined when no cluster is registered (no target, or an RDS instance target). */
  cluster: Read<DBCluster | undefined>;
  /** The cluster's instances, or the RDS instances registered directly. */
  instances: Read<DBInstance[]>;
  /** The subnets of the database's DB subnet group. */
  databaseSubnetIds: Read<string[]>;
  /** The proxy's, the database's and the client's security groups, by id; an id that no longer exists is absent. */
  securityGroups: Read<Map<string, SecurityGroup>>;
  /** The proxy's, the database's and the Lambda function's subnets, by id; an id that no longer exists is absent. */
  subnets: Read<Map<string, Subnet>>;
  /** The proxy's VPC, read when a client security group is given. */
  vpc?: Read<Vpc | undefined>;
  /** Secrets Manager interface endpoints in the proxy's VPC, read only when 443 egress is not open. */
  secretsEndpoints?: Read<VpcEndpoint[]>;
  /** By secret ARN, one per SECRETS auth entry of the proxy. */
  secrets: Map<string, Read<SecretSnapshot>>;
  role: Read<RoleSnapshot>;
  /** By the secret's KmsKeyId, for customer managed keys. */
  kmsKeys: Map<string, Read<KmsKeySnapshot>>;
  lambda?: Read<LambdaSnapshot>;
  recentLogs: Read<LogEvents>;
}

/** How far back logs.recent-errors looks, and how much of that window it reads at most. */
export const LOG_WINDOW_MINUTES = 60;
export const LOG_PAGE_LIMIT = 10;
export const LOG_EVENT_LIMIT = 10_000;

/** The key Secrets Manager uses when a secret names none. */
export const AWS_MANAGED_SECRETS_KEY = 'alias/aws/secretsmanager';

const lastPart = (arn: string, separator: string) => arn.slice(arn.lastIndexOf(separator) + 1);
const unique = (ids: (string | undefined)[]) => [...new Set(ids.filter((id): id is string => !!id))];

async function readPolicyDocuments(clients: AwsClients, roleName: string): Promise<NamedPolicy[]> {
  const iam = await clients.iam();
  const [inline, attached] = await Promise.all([
    iam.send(new ListRolePoliciesCommand({ RoleName: roleName, MaxItems: 100 })),
    iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, MaxItems: 100 })),
  ]);
  const inlineDocs = (inline.PolicyNames ?? []).map(async (name) => {
    const p = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
    return { source: `inline policy ${name}`, document: parsePolicy(p.PolicyDocument ?? '{}') };
  });
  const attachedDocs = (attached.AttachedPolicies ?? []).map(async (a) => {
    const policy = await iam.send(new GetPolicyCommand({ PolicyArn: a.PolicyArn }));
    const version = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn: a.PolicyArn, VersionId: policy.Policy?.DefaultVersionId }),
    );
    return { source: `managed policy ${a.PolicyArn}`, document: parsePolicy(version.PolicyVersion?.Document ?? '{}') };
  });
  return Promise.all([...inlineDocs, ...attachedDocs]);
}

export async function readRole(clients: AwsClients, roleArn: string): Promise<Read<RoleSnapshot>> {
  const name = lastPart(roleArn, '/');
  const [role, policies] = await Promise.all([
    read(`reading IAM role ${name}`, async () => (await clients.iam()).send(new GetRoleCommand({ RoleName: name }))),
    read(`reading the policies of IAM role ${name}`, () => readPolicyDocuments(clients, name)),
  ]);
  if (!role.ok) return role;
  return got({
    arn: role.value.Role?.Arn ?? roleArn,
    name,
    trustPolicy: parsePolicy(role.value.Role?.AssumeRolePolicyDocument ?? '{}'),
    policies,
  });
}

/** Reads the value only to learn its shape; the string itself goes no further than this function. */
function secretShape(secretString: string | undefined): SecretShape {
  try {
    const parsed: unknown = JSON.parse(secretString ?? '');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { json: false, keys: [] };
    const record = parsed as Record<string, unknown>;
    return {
      json: true,
      keys: Object.keys(record),
      username: typeof record.username === 'string' ? record.username : undefined,
    };
  } catch {
    return { json: false, keys: [] };
  }
}

async function readSecret(clients: AwsClients, arn: string): Promise<Read<SecretSnapshot>> {
  const sm = await clients.secretsManager();
  const [described, policy, value] = await Promise.all([
    read(`reading secret ${arn}`, () => sm.send(new DescribeSecretCommand({ SecretId: arn }))),
    read(`reading the resource policy of secret ${arn}`, () => sm.send(new GetResourcePolicyCommand({ SecretId: arn }))),
    read(`reading the value of secret ${arn}`, async () =>
      secretShape((await sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString),
    ),
  ]);
  if (!described.ok) return described;
  const d = described.value;
  return got({
    arn: d.ARN ?? arn,
    name: d.Name ?? arn,
    deletedDate: d.DeletedDate,
    kmsKeyId: d.KmsKeyId,
    resourcePolicy: policy.ok && policy.value.ResourcePolicy ? parsePolicy(policy.value.ResourcePolicy) : undefined,
    value,
  });
}

async function readKmsKey(clients: AwsClients, keyId: string): Promise<Read<KmsKeySnapshot>> {
  const kms = await clients.kms();
  const described = await read(`reading KMS key ${keyId}`, () => kms.send(new DescribeKeyCommand({ KeyId: keyId })));
  if (!described.ok) return described;
  const meta = described.value.KeyMetadata;
  const arn = meta?.Arn ?? keyId;
  const policy =
    meta?.KeyManager === 'AWS'
      ? missing<PolicyDocument>('AWS managed key: its policy is AWS\'s')
      : await read(`reading the key policy of KMS key ${arn}`, async () =>
          parsePolicy((await kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'default' }))).Policy ?? '{}'),
        );
  return got({
    arn,
    keyId: meta?.KeyId ?? keyId,
    enabled: meta?.Enabled ?? false,
    keyState: meta?.KeyState ?? 'unknown',
    keyManager: meta?.KeyManager ?? 'unknown',
    policy,
  });
}

async function readLambda(clients: AwsClients, name: string): Promise<Read<LambdaSnapshot>> {
  const config = await read(`reading Lambda function ${name}`, async () =>
    (await clients.lambda()).send(new GetFunctionConfigurationCommand({ FunctionName: name })),
  );
  if (!config.ok) return config;
  const c = config.value;
  const roleArn = c.Role ?? '';
  return got({
    name: c.FunctionName ?? name,
    roleArn,
    subnetIds: c.VpcConfig?.SubnetIds ?? [],
    securityGroupIds: c.VpcConfig?.SecurityGroupIds ?? [],
    environment: c.Environment?.Variables ?? {},
    role: roleArn ? await readRole(clients, roleArn) : missing('the function has no execution role'),
  });
}

/**
 * The window's events, page by page: a page may be partial or even empty while more remain, and
 * only a missing nextToken means the end. Bounded, so a chatty log group cannot stall doctor.
 */
async function readRecentLogs(clients: AwsClients, proxyName: string, now: number): Promise<Read<LogEvents>> {
  const logGroup = `/aws/rds/proxy/${proxyName}`;
  return read(`reading log group ${logGroup}`, async () => {
    const logs = await clients.logs();
    const events: LogEvents['events'] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const out = await logs.send(
        new FilterLogEventsCommand({
          logGroupName: logGroup,
          startTime: now - LOG_WINDOW_MINUTES * 60_000,
          endTime: now,
          limit: LOG_EVENT_LIMIT - events.length,
          nextToken,
        }),
      );
      events.push(...(out.events ?? []).map((e) => ({ timestamp: e.timestamp ?? 0, message: e.message ?? '' })));
      nextToken = out.nextToken;
      pages++;
    } while (nextToken && pages < LOG_PAGE_LIMIT && events.length < LOG_EVENT_LIMIT);
    return { logGroup, windowMinutes: LOG_WINDOW_MINUTES, events, complete: !nextToken };
  });
}

interface Database {
  cluster: Read<DBCluster | undefined>;
  instances: Read<DBInstance[]>;
  subnetIds: Read<string[]>;
}

/**
 * The database's subnets: the instances' DB subnet group already lists them; only a cluster
 * without instances needs its subnet group read.
 */
async function readDatabaseSubnetIds(
  clients: AwsClients,
  cluster: Read<DBCluster | undefined>,
  instances: Read<DBInstance[]>,
): Promise<Read<string[]>> {
  if (!instances.ok) return instances;
  const listed = unique(instances.value.flatMap((i) => (i.DBSubnetGroup?.Subnets ?? []).map((s) => s.SubnetIdentifier)));
  const groupName = cluster.ok ? cluster.value?.DBSubnetGroup : undefined;
  if (listed.length > 0 || !groupName) return got(listed);
  return read(`reading DB subnet group ${groupName}`, async () => {
    const groups = (await (await clients.rds()).send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: groupName }))).DBSubnetGroups;
    return unique((groups?.[0]?.Subnets ?? []).map((s) => s.SubnetIdentifier));
  });
}

/** The cluster behind a TRACKED_CLUSTER row, or the RDS instances registered directly. */
async function readDatabase(clients: AwsClients, targets: Read<DBProxyTarget[]>): Promise<Database> {
  if (!targets.ok) return { cluster: targets, instances: targets, subnetIds: targets };
  const rds = await clients.rds();
  const clusterRow = targets.value.find((t) => t.Type === 'TRACKED_CLUSTER') ?? targets.value.find((t) => t.TrackedClusterId);
  const clusterId = clusterRow?.Type === 'TRACKED_CLUSTER' ? clusterRow.RdsResourceId : clusterRow?.TrackedClusterId;
  if (clusterId) {
    const [cluster, instances] = await Promise.all([
      read(`reading DB cluster ${clusterId}`, async () =>
        (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }))).DBClusters?.[0],
      ),
      read(`reading the instances of DB cluster ${clusterId}`, async () =>
        (await rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [clusterId] }] })))
          .DBInstances ?? [],
      ),
    ]);
    return { cluster, instances, subnetIds: await readDatabaseSubnetIds(clients, cluster, instances) };
  }
  const instanceIds = targets.value.filter((t) => t.Type === 'RDS_INSTANCE' && t.RdsResourceId).map((t) => t.RdsResourceId!);
  if (instanceIds.length === 0) return { cluster: got(undefined), instances: got([]), subnetIds: got([]) };
  const instances = await read(`reading DB instances ${instanceIds.join(', ')}`, async () =>
    (await rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-instance-id', Values: instanceIds }] })))
      .DBInstances ?? [],
  );
  return { cluster: got(undefined), instances, subnetIds: await readDatabaseSubnetIds(clients, got(undefined), instances) };
}

/** The security groups that guard the database: the cluster's, or the directly registered instances'. */
export function databaseSecurityGroupIds(cluster: DBCluster | undefined, instances: readonly DBInstance[]): string[] {
  const groups = cluster
    ? (cluster.VpcSecurityGroups ?? [])
    : instances.flatMap((i) => i.VpcSecurityGroups ?? []);
  return [...new Set(groups.map((g) => g.VpcSecurityGroupId).filter((id): id is string => !!id))];
}

/**
 * The discovery pass: reads the proxy and everything on its path once, as concurrently as the
 * dependencies allow (proxy → targets → database → security groups), and never throws: a read
 * that fails is kept as an error for the checks that need it.
 */
export interface DiscoveryHooks {
  /** Told as soon as the proxy's role is read, so slow questions about it can start early. */
  onProxyRole?(role: RoleSnapshot, proxy: DBProxy): void;
  now?: number;
}

export async function discover(
  clients: AwsClients,
  region: string,
  proxyName: string,
  options: DoctorOptions,
  hooks: DiscoveryHooks = {},
): Promise<Snapshot> {
  const now = hooks.now ?? Date.now();
  const identityP = read('reading the caller identity', async () => {
    const id = await (await clients.sts()).send(new GetCallerIdentityCommand({}));
    return { account: id.Account ?? 'unknown', arn: id.Arn ?? 'unknown' };
  });
  const logsP = readRecentLogs(clients, proxyName, now);
  const lambdaP = options.lambda ? readLambda(clients, options.lambda) : undefined;
  const proxy = await read(`reading RDS proxy ${proxyName}`, async () => {
    const found = (await (await clients.rds()).send(new DescribeDBProxiesCommand({ DBProxyName: proxyName }))).DBProxies?.[0];
    if (!found) throw Object.assign(new Error(`no RDS proxy named ${proxyName}`), { name: 'DBProxyNotFoundFault' });
    return found;
  });

  if (!proxy.ok) {
    const none = missing<never>(`the proxy could not be read: ${proxy.error}`);
    return {
      region,
      proxyName,
      identity: await identityP,
      proxy,
      targetGroup: none,
      targets: none,
      cluster: none,
      instances: none,
      databaseSubnetIds: none,
      securityGroups: none,
      subnets: none,
      secrets: new Map(),
      role: none,
      kmsKeys: new Map(),
      lambda: lambdaP ? await lambdaP : undefined,
      recentLogs: await logsP,
    };
  }

  const p = proxy.value;
  const rds = await clients.rds();
  const targetGroupP = read(`reading the target groups of RDS proxy ${proxyName}`, async () => {
    const groups = (await rds.send(new DescribeDBProxyTargetGroupsCommand({ DBProxyName: proxyName }))).TargetGroups ?? [];
    return groups.find((g) => g.IsDefault) ?? groups[0];
  });
  const targetsP = read(`reading the targets of RDS proxy ${proxyName}`, async () =>
    (await rds.send(new DescribeDBProxyTargetsCommand({ DBProxyName: proxyName }))).Targets ?? [],
  );
  const databaseP = targetsP.then((targets) => readDatabase(clients, targets));
  const secretArns = unique((p.Auth ?? []).map((a) => a.SecretArn));
  const secretsP = Promise.all(secretArns.map(async (arn) => [arn, await readSecret(clients, arn)] as const));
  const kmsKeysP = secretsP.then(async (secrets) => {
    const keyIds = unique(secrets.map(([, s]) => (s.ok ? s.value.kmsKeyId : undefined))).filter(
      (k) => k !== AWS_MANAGED_SECRETS_KEY,
    );
    return Promise.all(keyIds.map(async (id) => [id, await readKmsKey(clients, id)] as const));
  });
  const roleP = (p.RoleArn ? readRole(clients, p.RoleArn) : Promise.resolve(missing<RoleSnapshot>('the proxy names no IAM role'))).then(
    (role) => {
      if (role.ok) hooks.onProxyRole?.(role.value, p);
      return role;
    },
  );
  const ec2 = await clients.ec2();
  // Filters, not SubnetIds/GroupIds: those fail the whole call when one id is gone, while a
  // filter returns the ones that exist and leaves the missing ones to the checks.
  const subnetsP = Promise.all([databaseP, lambdaP]).then(([database, lambda]) => {
    const ids = unique([
      ...(p.VpcSubnetIds ?? []),
      ...(database.subnetIds.ok ? database.subnetIds.value : []),
      ...(lambda?.ok ? lambda.value.subnetIds : []),
    ]);
    if (ids.length === 0) return Promise.resolve(got(new Map<string, Subnet>()));
    return read(`reading subnets ${ids.join(', ')}`, async () => {
      const subnets: Subnet[] = [];
      let NextToken: string | undefined;
      do {
        const page = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'subnet-id', Values: ids }], ...(NextToken ? { NextToken } : {}) }));
        subnets.push(...(page.Subnets ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
      return new Map(subnets.map((s) => [s.SubnetId!, s]));
    });
  });
  const vpcP =
    options.clientSecurityGroupId && p.VpcId
      ? read(`reading VPC ${p.VpcId}`, async () => (await ec2.send(new DescribeVpcsCommand({ VpcIds: [p.VpcId!] }))).Vpcs?.[0])
      : undefined;
  const securityGroupsP = Promise.all([databaseP, lambdaP]).then(([database, lambda]) => {
    const ids = unique([
      ...(p.VpcSecurityGroupIds ?? []),
      ...(database.cluster.ok && database.instances.ok
        ? databaseSecurityGroupIds(database.cluster.value, database.instances.value)
        : []),
      options.clientSecurityGroupId,
      ...(lambda?.ok ? lambda.value.securityGroupIds : []),
    ]);
    if (ids.length === 0) return Promise.resolve(got(new Map<string, SecurityGroup>()));
    return read(`reading security groups ${ids.join(', ')}`, async () => {
      const groups: SecurityGroup[] = [];
      let NextToken: string | undefined;
      do {
        const page = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: ids }], ...(NextToken ? { NextToken } : {}) }));
        groups.push(...(page.SecurityGroups ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
      return new Map(groups.map((g) => [g.GroupId!, g]));
    });
  });
  const secretsEndpointsP = securityGroupsP.then((groups) => {
    const proxyGroups = groups.ok ? (p.VpcSecurityGroupIds ?? []).map((id) => groups.value.get(id)) : [];
    const openToInternet = proxyGroups.some((g) => g && allowsPort(g.IpPermissionsEgress, 443, { cidrs: ['0.0.0.0/0'] }));
    if (!groups.ok || openToInternet || !p.VpcId) return undefined;
    return read(`reading the Secrets Manager endpoints of VPC ${p.VpcId}`, async () =>
      (
        await ec2.send(
          new DescribeVpcEndpointsCommand({
            Filters: [
              { Name: 'vpc-id', Values: [p.VpcId!] },
              { Name: 'service-name', Values: [`com.amazonaws.${region}.secretsmanager`] },
            ],
          }),
        )
      ).VpcEndpoints ?? [],
    );
  });

  const [identity, targetGroup, targets, database, secrets, kmsKeys, role, subnets, vpc, securityGroups, secretsEndpoints, lambda, recentLogs] =
    await Promise.all([
      identityP,
      targetGroupP,
      targetsP,
      databaseP,
      secretsP,
      kmsKeysP,
      roleP,
      subnetsP,
      vpcP,
      securityGroupsP,
      secretsEndpointsP,
      lambdaP,
      logsP,
    ]);
  return {
    region,
    proxyName,
    identity,
    proxy,
    targetGroup,
    targets,
    cluster: database.cluster,
    instances: database.instances,
    databaseSubnetIds: database.subnetIds,
    securityGroups,
    subnets,
    vpc,
    secretsEndpoints,
    secrets: new Map(secrets),
    role,
    kmsKeys: new Map(kmsKeys),
    lambda,
    recentLogs,
  };
}
