import type { UserAuthConfigInfo } from '@aws-sdk/client-rds';

/** What each step finds or creates: typed fields the later steps read (DESIGN.md section 3). */

import type { TargetHealthRow } from '../waiters/target-health-row.js';

/** A resource a step creates: which run made it, read from its rdsproxy-setup:run tag by find. */
export interface Attributed {
  /** Absent when find did not read it (a create's answer) or the resource predates run tags. */
  runId?: string;
}

export interface Network {
  vpcId: string;
  vpcCidr: string;
  subnetIds: string[];
  availabilityZones: string[];
}

export interface SubnetGroup extends Attributed {
  name: string;
  arn?: string;
  subnetIds: string[];
  /** Given by --db-subnet-group: someone else's, used but never changed or deleted. */
  reused: boolean;
}

export interface SecurityGroup extends Attributed {
  id: string;
  name: string;
  vpcId: string;
}

export interface Secret extends Attributed {
  arn: string;
  name: string;
  kmsKeyId?: string;
  /** Set when the secret was found waiting out its deletion window. */
  deletedDate?: Date;
}

export interface Cluster extends Attributed {
  id: string;
  arn: string;
  status: string;
  endpoint: string;
  port: number;
  resourceId?: string;
  deletionProtection: boolean;
  iamDatabaseAuthentication: boolean;
  /** Serverless v2 capacity range in ACUs; undefined when the cluster has none. */
  scaling?: { minAcu?: number; maxAcu?: number };
  masterUser: string;
  databaseName?: string;
  /** The Data API's HTTP endpoint (user commands, `up --data-api`). */
  httpEndpoint?: boolean;
}

export interface SecretHost {
  host: string;
}

export interface Instance extends Attributed {
  id: string;
  arn: string;
  status: string;
}

export interface Role extends Attributed {
  name: string;
  arn: string;
}

export interface Proxy extends Attributed {
  name: string;
  arn: string;
  /** The `prx-…` id: the last part of the ARN, used in `rds-db:connect` resource ARNs. */
  resourceId: string;
  endpoint: string;
  status: string;
  requireTls: boolean;
  idleClientTimeoutSeconds?: number;
  debugLogging: boolean;
  /** The proxy's auth entries as RDS reports them (ModifyDBProxy replaces the whole list). */
  auth: UserAuthConfigInfo[];
  vpcId?: string;
  /** The subnets the proxy is in (grant places a client function in them). */
  subnetIds?: string[];
  /** NONE (the proxy logs in with secrets) or IAM_AUTH (end-to-end IAM, `up --auth iam`). */
  defaultAuthScheme?: string;
}

export interface TargetGroup {
  name: string;
  arn?: string;
  borrowTimeoutSeconds?: number;
  maxConnectionsPercent?: number;
  maxIdleConnectionsPercent?: number;
}

export type { TargetHealthRow };

export interface Target {
  clusterId: string;
  rows: TargetHealthRow[];
}

/** The stack's client function, as far as `up` manages it (grant manages its network and environment). */
export interface ClientFunction extends Attributed {
  name: string;
  arn: string;
  /** Base64 SHA-256 of the deployed zip, compared with the package's to tell whether the code is current. */
  codeSha256: string;
  runtime?: string;
  handler?: string;
  role?: string;
  architectures: string[];
  timeoutSeconds?: number;
  memoryMb?: number;
  state: string;
}

/** Step id → what that step yields. The runner fills ctx.resources as steps complete. */
export interface StackResources {
  network: Network;
  'subnet-group': SubnetGroup;
  'proxy-sg': SecurityGroup;
  'cluster-sg': SecurityGroup;
  secret: Secret;
  cluster: Cluster;
  'secret-host': SecretHost;
  instance: Instance;
  role: Role;
  proxy: Proxy;
  'target-group': TargetGroup;
  target: Target;
  'client-role': Role;
  'client-function': ClientFunction;
}

export type StepId = keyof StackResources;

/** The steps of the stack's own client function, run only when it is asked for (`up --with-lambda`). */
export type ClientStepId = 'client-role' | 'client-function';
