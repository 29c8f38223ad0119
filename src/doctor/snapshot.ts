import type { SecurityGroup, Subnet, Vpc, VpcEndpoint } from '@aws-sdk/client-ec2';
import type { DBCluster, DBInstance, DBProxy, DBProxyTarget } from '@aws-sdk/client-rds';
import type { NamedPolicy, PolicyDocument } from './policy-evaluation.js';

/**
 * What the discovery pass hands the checks: types only, shared by the readers, the checks and the
 * permission questions, so that none of them imports another's runtime for a type.
 */

/** A call AWS refused for want of a permission: its IAM action, and the resource it was about when known. */
export interface Denial {
  action: string;
  resource?: string;
}

/** A read that got no answer from its AWS endpoint: what happened, and what to check. */
export interface Unanswered {
  endpoint?: string;
  /** "cannot reach the AWS endpoint https://… (connection refused, 6 attempts)". */
  description: string;
  fix: string;
}

/**
 * One read of the discovery pass: the value, or the error that stopped it (kept for the checks).
 * `notFound` is set when AWS said the resource does not exist, `denied` when the caller lacks a
 * permission for it, `unanswered` when its endpoint never answered.
 */
export type Read<T> =
  | { ok: true; value: T }
  | { ok: false; error: string; code?: string; notFound?: boolean; denied?: Denial; unanswered?: Unanswered };

export interface DoctorOptions {
  /** The database user clients sign tokens for (--user). */
  user?: string;
  /** The Lambda function to check as the client (--lambda). */
  lambda?: string;
  /** The client's security group (--client-sg). */
  clientSecurityGroupId?: string;
}

/** A role as the permission checks see it: its ARN and every inline and attached policy. */
export interface PolicyHolder {
  arn: string;
  policies: Read<NamedPolicy[]>;
}

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
  /** Its resource policy; undefined when it has none. */
  resourcePolicy: Read<PolicyDocument | undefined>;
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

/** A database user as the database knows it (through the Data API). */
export interface DatabaseUserFacts {
  user: string;
  exists: boolean;
  inRdsIam: boolean;
}

export interface LogEvents {
  logGroup: string;
  windowMinutes: number;
  events: { timestamp: number; message: string }[];
  /** False when the read stopped at its page or event limit before the end of the window. */
  complete: boolean;
}

/**
 * Everything the checks look at, each resource read once. Every field but region and proxyName
 * is the result of one reader (readers/all-readers.ts).
 */
export interface Snapshot {
  region: string;
  proxyName: string;
  identity: Read<{ account: string; arn: string }>;
  proxy: Read<DBProxy>;
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
  /** Read when --lambda is given. */
  lambda?: Read<LambdaSnapshot>;
  recentLogs: Read<LogEvents>;
  /** Read when a database user is given (--user, or the Lambda's) and the cluster's Data API is on. */
  databaseUser?: Read<DatabaseUserFacts>;
}

/** The snapshot's fields that readers produce. */
export type SnapshotReads = Omit<Snapshot, 'region' | 'proxyName'>;
