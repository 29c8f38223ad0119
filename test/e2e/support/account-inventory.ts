import {
  ListTagsForResourceCommand,
  RDSClient,
  paginateDescribeDBClusterSnapshots,
  paginateDescribeDBClusters,
  paginateDescribeDBInstances,
  paginateDescribeDBProxies,
  paginateDescribeDBProxyTargetGroups,
  paginateDescribeDBProxyTargets,
  paginateDescribeDBSubnetGroups,
} from '@aws-sdk/client-rds';
import {
  EC2Client,
  paginateDescribeSecurityGroupRules,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcs,
  type SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import { DescribeSecretCommand, SecretsManagerClient, paginateListSecrets } from '@aws-sdk/client-secrets-manager';
import {
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  paginateListAttachedRolePolicies,
  paginateListPolicies,
  paginateListRolePolicies,
  paginateListRoles,
} from '@aws-sdk/client-iam';
import { LambdaClient, ListTagsCommand, paginateListFunctions } from '@aws-sdk/client-lambda';
import type { Sandbox } from './sandbox.js';

export type Plain = null | boolean | number | string | Plain[] | PlainObject;
export interface PlainObject {
  [key: string]: Plain;
}

/**
 * Everything in the sandbox account that `up` could create, change or delete, read with the
 * tests' own SDK clients. Each collection is keyed by the resource's own identifier.
 */
export interface AccountInventory {
  vpcs: Record<string, PlainObject>;
  subnets: Record<string, PlainObject>;
  /** By group id; rules are keyed by what they allow ("tcp 5432 from sg-…"). */
  securityGroups: Record<string, PlainObject>;
  dbSubnetGroups: Record<string, PlainObject>;
  clusters: Record<string, PlainObject>;
  instances: Record<string, PlainObject>;
  clusterSnapshots: Record<string, PlainObject>;
  proxies: Record<string, PlainObject>;
  /** By "proxy/target group". */
  proxyTargetGroups: Record<string, PlainObject>;
  /** By "proxy/target group/type resource id". */
  proxyTargets: Record<string, PlainObject>;
  /** Metadata only: the secret value is never read. */
  secrets: Record<string, PlainObject>;
  roles: Record<string, PlainObject>;
  /** Customer managed policies, by ARN. */
  policies: Record<string, PlainObject>;
  /** Lambda functions by name: configuration and tags. */
  functions: Record<string, PlainObject>;
}

/**
 * Left out on purpose, wherever they appear: values that change without any write.
 * - LatestRestorableTime (clusters, instances): moto reports the current time on every describe.
 * - LastAccessedDate (secrets and their versions): set by GetSecretValue, a read `up` makes on every run.
 */
const VOLATILE = new Set(['LatestRestorableTime', 'LastAccessedDate']);

/**
 * Left out of a Lambda function: when and how it was last updated, which every configuration
 * update sets, one that puts every setting back included.
 */
const FUNCTION_UPDATE_STAMPS = new Set(['LastModified', 'LastUpdateStatus', 'RevisionId']);
const TAG_FIELDS = new Set(['Tags', 'TagList']);

/** Reads the whole account; two reads of an untouched account are equal (`toEqual`). */
export async function readAccountInventory(sandbox: Sandbox): Promise<AccountInventory> {
  const rds = new RDSClient(sandbox.clientConfig);
  const ec2 = new EC2Client(sandbox.clientConfig);
  const secrets = new SecretsManagerClient(sandbox.clientConfig);
  const iam = new IAMClient(sandbox.clientConfig);
  const lambda = new LambdaClient(sandbox.clientConfig);
  try {
    const [network, securityGroups, database, proxies, secretEntries, roles, policies, functions] = await Promise.all([
      readNetwork(ec2),
      readSecurityGroups(ec2),
      readDatabase(rds),
      readProxies(rds),
      readSecrets(secrets),
      readRoles(iam),
      readPolicies(iam),
      readFunctions(lambda),
    ]);
    return { ...network, securityGroups, ...database, ...proxies, secrets: secretEntries, roles, policies, functions };
  } finally {
    for (const client of [rds, ec2, secrets, iam, lambda]) client.destroy();
  }
}

async function readNetwork(ec2: EC2Client) {
  const vpcs: Record<string, PlainObject> = {};
  for await (const page of paginateDescribeVpcs({ client: ec2 }, {})) {
    for (const vpc of page.Vpcs ?? []) vpcs[vpc.VpcId!] = plainObject(vpc);
  }
  const subnets: Record<string, PlainObject> = {};
  for await (const page of paginateDescribeSubnets({ client: ec2 }, {})) {
    for (const subnet of page.Subnets ?? []) subnets[subnet.SubnetId!] = plainObject(subnet);
  }
  return { vpcs: sortedRecord(vpcs), subnets: sortedRecord(subnets) };
}

async function readSecurityGroups(ec2: EC2Client): Promise<Record<string, PlainObject>> {
  const rules: SecurityGroupRule[] = [];
  for await (const page of paginateDescribeSecurityGroupRules({ client: ec2 }, {})) rules.push(...(page.SecurityGroupRules ?? []));
  const groups: Record<string, PlainObject> = {};
  for await (const page of paginateDescribeSecurityGroups({ client: ec2 }, {})) {
    for (const group of page.SecurityGroups ?? []) {
      const own = rules.filter((r) => r.GroupId === group.GroupId);
      groups[group.GroupId!] = plainObject({
        GroupName: group.GroupName,
        Description: group.Description,
        VpcId: group.VpcId,
        Tags: group.Tags,
        Ingress: rulesByMeaning(own.filter((r) => !r.IsEgress)),
        Egress: rulesByMeaning(own.filter((r) => r.IsEgress)),
      });
    }
  }
  return sortedRecord(groups);
}

/** A rule's id is kept in its entry, so a rule revoked and authorized again shows as changed. */
function rulesByMeaning(rules: SecurityGroupRule[]) {
  return Object.fromEntries(
    rules.map((r) => [ruleMeaning(r), { SecurityGroupRuleId: r.SecurityGroupRuleId, Description: r.Description, Tags: r.Tags }]),
  );
}

function ruleMeaning(rule: SecurityGroupRule): string {
  const protocol = rule.IpProtocol === '-1' ? 'all traffic' : rule.IpProtocol;
  const ports =
    rule.FromPort === undefined || rule.FromPort === -1
      ? ''
      : rule.FromPort === rule.ToPort
        ? ` ${rule.FromPort}`
        : ` ${rule.FromPort}-${rule.ToPort}`;
  const peer = rule.CidrIpv4 ?? rule.CidrIpv6 ?? rule.PrefixListId ?? rule.ReferencedGroupInfo?.GroupId;
  return `${protocol}${ports} ${rule.IsEgress ? 'to' : 'from'} ${peer}`;
}

async function readDatabase(rds: RDSClient) {
  const clusters: Record<string, PlainObject> = {};
  for await (const page of paginateDescribeDBClusters({ client: rds }, {})) {
    for (const cluster of page.DBClusters ?? []) clusters[cluster.DBClusterIdentifier!] = plainObject(cluster);
  }
  const instances: Record<string, PlainObject> = {};
  for await (const page of paginateDescribeDBInstances({ client: rds }, {})) {
    for (const instance of page.DBInstances ?? []) instances[instance.DBInstanceIdentifier!] = plainObject(instance);
  }
  const clusterSnapshots: Record<string, PlainObject> = {};
  for await (const page of paginateDescribeDBClusterSnapshots({ client: rds }, {})) {
    for (const snapshot of page.DBClusterSnapshots ?? []) {
      clusterSnapshots[snapshot.DBClusterSnapshotIdentifier!] = plainObject(snapshot);
    }
  }
  const dbSubnetGroups: Record<string, PlainObject> = {};
  for await (const page of paginateDescribeDBSubnetGroups({ client: rds }, {})) {
    for (const group of page.DBSubnetGroups ?? []) {
      const { TagList } = await rds.send(new ListTagsForResourceCommand({ ResourceName: group.DBSubnetGroupArn }));
      dbSubnetGroups[group.DBSubnetGroupName!] = plainObject({ ...group, TagList });
    }
  }
  return {
    clusters: sortedRecord(clusters),
    instances: sortedRecord(instances),
    clusterSnapshots: sortedRecord(clusterSnapshots),
    dbSubnetGroups: sortedRecord(dbSubnetGroups),
  };
}

async function readProxies(rds: RDSClient) {
  const proxies: Record<string, PlainObject> = {};
  const proxyTargetGroups: Record<string, PlainObject> = {};
  const proxyTargets: Record<string, PlainObject> = {};
  for await (const page of paginateDescribeDBProxies({ client: rds }, {})) {
    for (const proxy of page.DBProxies ?? []) {
      const name = proxy.DBProxyName!;
      const { TagList } = await rds.send(new ListTagsForResourceCommand({ ResourceName: proxy.DBProxyArn }));
      proxies[name] = plainObject({ ...proxy, TagList });
      for await (const groups of paginateDescribeDBProxyTargetGroups({ client: rds }, { DBProxyName: name })) {
        for (const group of groups.TargetGroups ?? []) {
          const groupKey = `${name}/${group.TargetGroupName}`;
          proxyTargetGroups[groupKey] = plainObject(group);
          const targets = paginateDescribeDBProxyTargets(
            { client: rds },
            { DBProxyName: name, TargetGroupName: group.TargetGroupName },
          );
          for await (const targetPage of targets) {
            for (const target of targetPage.Targets ?? []) {
              proxyTargets[`${groupKey}/${target.Type} ${target.RdsResourceId}`] = plainObject(target);
            }
          }
        }
      }
    }
  }
  return {
    proxies: sortedRecord(proxies),
    proxyTargetGroups: sortedRecord(proxyTargetGroups),
    proxyTargets: sortedRecord(proxyTargets),
  };
}

async function readSecrets(client: SecretsManagerClient): Promise<Record<string, PlainObject>> {
  const secrets: Record<string, PlainObject> = {};
  for await (const page of paginateListSecrets({ client }, { IncludePlannedDeletion: true })) {
    for (const listed of page.SecretList ?? []) {
      const { $metadata: _, ...secret } = await client.send(new DescribeSecretCommand({ SecretId: listed.ARN }));
      secrets[secret.Name!] = plainObject(secret);
    }
  }
  return sortedRecord(secrets);
}

async function readRoles(iam: IAMClient): Promise<Record<string, PlainObject>> {
  const roles: Record<string, PlainObject> = {};
  for await (const page of paginateListRoles({ client: iam }, {})) {
    for (const { RoleName } of page.Roles ?? []) {
      const { Role } = await iam.send(new GetRoleCommand({ RoleName }));
      const InlinePolicies: Record<string, unknown> = {};
      for await (const names of paginateListRolePolicies({ client: iam }, { RoleName })) {
        for (const PolicyName of names.PolicyNames ?? []) {
          const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }));
          InlinePolicies[PolicyName] = policyDocument(PolicyDocument);
        }
      }
      const AttachedPolicies: string[] = [];
      for await (const attached of paginateListAttachedRolePolicies({ client: iam }, { RoleName })) {
        AttachedPolicies.push(...(attached.AttachedPolicies ?? []).map((p) => p.PolicyArn!));
      }
      roles[RoleName!] = plainObject({
        ...Role,
        AssumeRolePolicyDocument: policyDocument(Role!.AssumeRolePolicyDocument),
        InlinePolicies,
        AttachedPolicies,
      });
    }
  }
  return sortedRecord(roles);
}

async function readPolicies(iam: IAMClient): Promise<Record<string, PlainObject>> {
  const policies: Record<string, PlainObject> = {};
  for await (const page of paginateListPolicies({ client: iam }, { Scope: 'Local' })) {
    for (const policy of page.Policies ?? []) {
      const { PolicyVersion } = await iam.send(
        new GetPolicyVersionCommand({ PolicyArn: policy.Arn, VersionId: policy.DefaultVersionId }),
      );
      policies[policy.Arn!] = plainObject({ ...policy, Document: policyDocument(PolicyVersion?.Document) });
    }
  }
  return sortedRecord(policies);
}

/**
 * A function taken out of its VPC answers an empty VpcConfig where one never in a VPC answers none:
 * both say "no VPC", and no call can make the one the other, so they read the same here.
 */
async function readFunctions(lambda: LambdaClient): Promise<Record<string, PlainObject>> {
  const functions: Record<string, PlainObject> = {};
  for await (const page of paginateListFunctions({ client: lambda }, {})) {
    for (const fn of page.Functions ?? []) {
      const { Tags } = await lambda.send(new ListTagsCommand({ Resource: fn.FunctionArn }));
      const noVpc = (fn.VpcConfig?.SubnetIds ?? []).length === 0 && (fn.VpcConfig?.SecurityGroupIds ?? []).length === 0;
      const configuration = Object.fromEntries(
        Object.entries({ ...fn, VpcConfig: noVpc ? undefined : fn.VpcConfig }).filter(([key]) => !FUNCTION_UPDATE_STAMPS.has(key)),
      );
      functions[fn.FunctionName!] = plainObject({ ...configuration, Tags: Object.entries(Tags ?? {}).map(([Key, Value]) => ({ Key, Value })) });
    }
  }
  return sortedRecord(functions);
}

/** IAM returns policy documents URL-encoded. */
function policyDocument(document: string | undefined): unknown {
  return document === undefined ? undefined : JSON.parse(decodeURIComponent(document));
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compare(a, b)));
}

function plainObject(value: object): PlainObject {
  return plain(value) as PlainObject;
}

/**
 * JSON-like copy with a fixed order: dates as ISO strings, tag lists as { key: value }, object
 * keys sorted, arrays sorted (AWS returns sets such as subnet ids in no promised order),
 * undefined fields and volatile fields dropped.
 */
function plain(value: unknown): Plain | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    return value
      .map(plain)
      .filter((item): item is Plain => item !== undefined)
      .sort((a, b) => compare(JSON.stringify(a), JSON.stringify(b)));
  }
  const out: PlainObject = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>).sort(([a], [b]) => compare(a, b))) {
    if (VOLATILE.has(key)) continue;
    const copy = TAG_FIELDS.has(key) && Array.isArray(field) ? tagRecord(field) : plain(field);
    if (copy !== undefined) out[key] = copy;
  }
  return out;
}

function tagRecord(tags: { Key?: string; Value?: string }[]): PlainObject {
  return Object.fromEntries(tags.map((t) => [t.Key!, t.Value ?? '']).sort(([a], [b]) => compare(a!, b!)));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
