import { AWS_LIMITS, type NameLimit } from './aws-limits.js';

/** The tag every resource of a stack carries; rollback and teardown touch nothing without it. */
export const STACK_TAG_KEY = 'rdsproxy-setup:stack';

/**
 * The tag beside it on every resource a run creates: the run's id. An "already exists" after a
 * lost answer is this run's own resource only when it carries this run's id. Resources made
 * before run tags have none: they are the stack's, and no run's to roll back.
 */
export const RUN_TAG_KEY = 'rdsproxy-setup:run';

/** PostgreSQL's port; RDS Proxy listens on it for the POSTGRESQL engine family. */
export const POSTGRES_PORT = 5432;

/** Every AWS name derives from the stack name: the name is the idempotency key. */
export interface StackNames {
  stack: string;
  subnetGroup: string;
  proxySecurityGroup: string;
  clusterSecurityGroup: string;
  secret: string;
  cluster: string;
  instance: string;
  /** IAM names are account-wide, so the region is part of it. */
  role: string;
  rolePolicy: string;
  proxy: string;
  /** The SSM parameter that holds the stack's lease: one writing run at a time. */
  lease: string;
  /** The stack's own client function (`up --with-lambda`, `connect --from-lambda`). */
  clientFunction: string;
  /** Its execution role: the function's name and the region, since IAM names are account-wide. */
  clientRole: string;
  clientRolePolicy: string;
}

export function stackNames(stack: string, region: string): StackNames {
  return {
    stack,
    subnetGroup: `${stack}-subnets`,
    proxySecurityGroup: `${stack}-proxy-sg`,
    clusterSecurityGroup: `${stack}-cluster-sg`,
    secret: `rdsproxy-setup/${stack}/master`,
    cluster: `${stack}-cluster`,
    instance: `${stack}-writer`,
    role: `rdsproxy-${stack}-${region}`,
    rolePolicy: 'read-master-secret',
    proxy: `${stack}-proxy`,
    lease: `/rdsproxy-setup/${stack}/lease`,
    clientFunction: `${stack}-client`,
    clientRole: `${stack}-client-${region}`,
    clientRolePolicy: 'own-logs-and-vpc',
  };
}

/**
 * The marker a run must create (put-if-absent) before it may take over the lease of the stale
 * run `staleRunId`; `attempt` grows only past markers whose taker stopped in turn.
 */
export function leaseTakeoverName(stack: string, staleRunId: string, attempt: number): string {
  return `/rdsproxy-setup/${stack}/lease-takeover/${staleRunId}-${attempt}`;
}

/** The secret of a database user made by `user add` in secrets mode (JSON like the master's). */
export function userSecretName(stack: string, user: string): string {
  return `${userSecretPrefix(stack)}${user}`;
}

/** Every user secret of a stack starts so; teardown finds them by it. */
export function userSecretPrefix(stack: string): string {
  return `rdsproxy-setup/${stack}/users/`;
}

export const USER_POLICY_PREFIX = 'user-';

/** The inline policy on the proxy's role that lets the proxy log in as one database user. */
export function userPolicyName(user: string): string {
  return `${USER_POLICY_PREFIX}${user}`;
}

/** A name the stack gets that an AWS naming rule constrains, with the rule. */
export interface ConstrainedName {
  what: string;
  name: string;
  limit: NameLimit;
}

/** Every derived name AWS constrains (the secret's name and the role policy's are fixed or free-form). */
export function constrainedNames(names: StackNames): ConstrainedName[] {
  return [
    { what: 'DB subnet group', name: names.subnetGroup, limit: AWS_LIMITS.dbSubnetGroupName },
    { what: 'security group', name: names.proxySecurityGroup, limit: AWS_LIMITS.securityGroupName },
    { what: 'security group', name: names.clusterSecurityGroup, limit: AWS_LIMITS.securityGroupName },
    { what: 'DB cluster', name: names.cluster, limit: AWS_LIMITS.dbClusterIdentifier },
    { what: 'DB instance', name: names.instance, limit: AWS_LIMITS.dbInstanceIdentifier },
    { what: 'IAM role', name: names.role, limit: AWS_LIMITS.iamRoleName },
    { what: 'RDS Proxy', name: names.proxy, limit: AWS_LIMITS.dbProxyName },
    { what: 'Lambda function', name: names.clientFunction, limit: AWS_LIMITS.lambdaFunctionName },
    { what: 'IAM role', name: names.clientRole, limit: AWS_LIMITS.iamRoleName },
  ];
}

/** "orders-dev-final-20261125t101500z" (UTC, lowercase); snapshot ids allow letters, digits, hyphens. */
export function finalSnapshotId(stack: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'z').toLowerCase();
  return `${stack}-final-${stamp}`;
}

export function stackTags(stack: string): { Key: string; Value: string }[] {
  return [{ Key: STACK_TAG_KEY, Value: stack }];
}

/** The tags of a resource a run creates: the stack's, and the run's id. */
export function createdTags(stack: string, runId: string): { Key: string; Value: string }[] {
  return [...stackTags(stack), { Key: RUN_TAG_KEY, Value: runId }];
}

/** The id of the run that created a resource, from its tags; undefined when it has no run tag. */
export function runIdOf(tags: readonly { Key?: string; Value?: string }[] | undefined): string | undefined {
  return (tags ?? []).find((t) => t.Key === RUN_TAG_KEY)?.Value;
}

export function hasStackTag(tags: readonly { Key?: string; Value?: string }[] | undefined, stack: string): boolean {
  return (tags ?? []).some((t) => t.Key === STACK_TAG_KEY && t.Value === stack);
}
