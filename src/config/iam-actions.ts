/**
 * Every IAM permission the CLI's own user needs, one row per action and resource scope: the one
 * table `rdsproxy-setup iam-policy` (and the README's policy) is generated from, and the doctor
 * names when a read is denied.
 *
 * Resources are ARN patterns with placeholders: `${Partition}`, `${Region}`, `${Account}`, and the
 * stack's names `${Stack}`, `${SubnetGroup}`, `${Cluster}`, `${Instance}`, `${Secret}`, `${Role}`,
 * `${ClientFunction}`, `${ClientRole}` (config/names.ts). `*` stands alone where the action supports no resource-level permissions.
 * Resource types and formats follow the Service Authorization Reference:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 * (list_amazonrds, list_amazonec2, list_awsidentityandaccessmanagementiam,
 * list_awssecretsmanager, list_awskeymanagementservice, list_awslambda,
 * list_amazoncloudwatchlogs, list_amazonrdsiamauthentication).
 */

export const POLICY_COMMANDS = ['up', 'status', 'teardown', 'doctor', 'connect'] as const;
export type PolicyCommand = (typeof POLICY_COMMANDS)[number];

export interface IamActionRow {
  /** `service:Action`, as IAM names it. */
  action: string;
  /** The commands that need it (`up` includes what its rollback deletes). */
  commands: readonly PolicyCommand[];
  /** ARN patterns with placeholders, or `*`. */
  resources: readonly string[];
  /** What the CLI uses it for, and why the resource is what it is. */
  why: string;
  condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * Set when the CLI never calls the action itself: AWS authorizes it as part of this call (or
   * event). The sandbox cannot check those; only a real account can.
   */
  authorizedWith?: string;
}

/**
 * Calls that need no permission: AWS answers them for any valid credentials.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 */
export const NEEDS_NO_PERMISSION: readonly string[] = ['sts:GetCallerIdentity'];

const STACK_READS: readonly PolicyCommand[] = ['up', 'status', 'teardown'];
/** Deletes: teardown, and the rollback of a failed `up`. */
const DELETES: readonly PolicyCommand[] = ['up', 'teardown'];

const RDS = 'arn:${Partition}:rds:${Region}:${Account}';
const EC2 = 'arn:${Partition}:ec2:${Region}:${Account}';
const IAM = 'arn:${Partition}:iam::${Account}';
/** A secret's ARN is its name, a hyphen and six random characters. */
const STACK_SECRET = 'arn:${Partition}:secretsmanager:${Region}:${Account}:secret:${Secret}-??????';
const ANY_SECRET = 'arn:${Partition}:secretsmanager:${Region}:${Account}:secret:*';
const STACK_ROLE = `${IAM}:role/\${Role}`;
/** The proxy's role and the client function's execution role (`up --with-lambda`). */
const STACK_ROLES = [STACK_ROLE, `${IAM}:role/\${ClientRole}`];
const CLIENT_FUNCTION = 'arn:${Partition}:lambda:${Region}:${Account}:function:${ClientFunction}';
const CLIENT_LOG_GROUP = 'arn:${Partition}:logs:${Region}:${Account}:log-group:/aws/lambda/${ClientFunction}';
const ANY_ROLE = `${IAM}:role/*`;
const PROXIES = [`${RDS}:db-proxy:*`, `${RDS}:target-group:*`];

const NO_RESOURCE_LEVEL = 'supports no resource-level permissions, so the resource is *';
const PROXY_IDS = "a proxy's ARN (and its target group's) holds its prx- resource id, not its name, so no pattern can name the stack's";
const GROUP_IDS = 'security group ids are assigned by AWS, so no pattern can name the stack\'s groups';
const ANY_PROXY = 'doctor and connect work on any proxy in the account and region, whoever made it';

export const IAM_ACTIONS: readonly IamActionRow[] = [
  // Amazon RDS: the DB subnet group
  {
    action: 'rds:DescribeDBSubnetGroups',
    commands: [...STACK_READS, 'doctor'],
    resources: [`${RDS}:subgrp:*`],
    why: 'finds the stack\'s DB subnet group; up also reads the one --db-subnet-group names and doctor the database\'s, whatever their names',
  },
  { action: 'rds:CreateDBSubnetGroup', commands: ['up'], resources: [`${RDS}:subgrp:\${SubnetGroup}`], why: 'creates the stack\'s DB subnet group' },
  { action: 'rds:ModifyDBSubnetGroup', commands: ['up'], resources: [`${RDS}:subgrp:\${SubnetGroup}`], why: 'repairs its subnets' },
  { action: 'rds:DeleteDBSubnetGroup', commands: DELETES, resources: [`${RDS}:subgrp:\${SubnetGroup}`], why: 'deletes it' },
  // Amazon RDS: the cluster and its writer
  { action: 'rds:DescribeDBClusters', commands: STACK_READS, resources: [`${RDS}:cluster:\${Cluster}`], why: 'finds the stack\'s cluster and waits for it' },
  { action: 'rds:DescribeDBClusters', commands: ['doctor', 'connect'], resources: [`${RDS}:cluster:*`], why: `reads the proxy's cluster: ${ANY_PROXY}` },
  {
    action: 'rds:CreateDBCluster',
    commands: ['up'],
    resources: [`${RDS}:cluster:\${Cluster}`, `${RDS}:cluster-pg:*`, `${RDS}:og:*`, `${RDS}:subgrp:*`],
    why: 'creates the cluster; RDS also authorizes the (default) parameter and option groups and the DB subnet group it uses, which --db-subnet-group may name',
  },
  {
    action: 'rds:ModifyDBCluster',
    commands: DELETES,
    resources: [`${RDS}:cluster:\${Cluster}`],
    why: 'repairs deletion protection, IAM authentication and capacity; teardown and rollback turn deletion protection off',
  },
  {
    action: 'rds:DeleteDBCluster',
    commands: DELETES,
    resources: [`${RDS}:cluster:\${Cluster}`, `${RDS}:cluster-snapshot:\${Stack}-final-*`],
    why: 'deletes the cluster, keeping the final snapshot <stack>-final-<time>',
  },
  {
    action: 'rds:CreateDBClusterSnapshot',
    commands: ['teardown'],
    resources: [`${RDS}:cluster:\${Cluster}`, `${RDS}:cluster-snapshot:\${Stack}-final-*`],
    why: 'the final snapshot teardown keeps',
    authorizedWith: 'rds:DeleteDBCluster with a final snapshot',
  },
  { action: 'rds:DescribeDBInstances', commands: STACK_READS, resources: [`${RDS}:db:\${Instance}`], why: 'finds the writer and waits for it' },
  {
    action: 'rds:DescribeDBInstances',
    commands: ['doctor', 'connect'],
    resources: [`${RDS}:db:*`],
    why: `reads the database's instances (doctor lists them with a filter, which RDS authorizes on db:*): ${ANY_PROXY}`,
  },
  {
    action: 'rds:CreateDBInstance',
    commands: ['up'],
    resources: [`${RDS}:db:\${Instance}`, `${RDS}:cluster:\${Cluster}`, `${RDS}:og:*`, `${RDS}:pg:*`, `${RDS}:subgrp:*`],
    why: 'creates the writer in the cluster; RDS also authorizes the (default) parameter and option groups and the subnet group',
  },
  { action: 'rds:DeleteDBInstance', commands: DELETES, resources: [`${RDS}:db:\${Instance}`], why: 'deletes the writer' },
  // Amazon RDS: the proxy, its target group and target
  { action: 'rds:DescribeDBProxies', commands: [...STACK_READS, 'doctor', 'connect'], resources: [`${RDS}:db-proxy:*`], why: `finds the proxy by name; ${PROXY_IDS}` },
  { action: 'rds:CreateDBProxy', commands: ['up'], resources: [`${RDS}:db-proxy:*`], why: `creates the proxy; ${PROXY_IDS}` },
  { action: 'rds:ModifyDBProxy', commands: ['up'], resources: [`${RDS}:db-proxy:*`], why: 'repairs TLS, idle timeout, debug logging and IAM authentication' },
  { action: 'rds:DeleteDBProxy', commands: DELETES, resources: [`${RDS}:db-proxy:*`], why: 'deletes the proxy' },
  { action: 'rds:DescribeDBProxyTargetGroups', commands: ['up', 'status'], resources: PROXIES, why: `reads the connection pool; ${PROXY_IDS}` },
  { action: 'rds:ModifyDBProxyTargetGroup', commands: ['up'], resources: PROXIES, why: 'sets and repairs the connection pool' },
  { action: 'rds:DescribeDBProxyTargets', commands: [...STACK_READS, 'doctor', 'connect'], resources: PROXIES, why: 'reads the registered cluster and its health' },
  {
    action: 'rds:RegisterDBProxyTargets',
    commands: ['up'],
    resources: [...PROXIES, `${RDS}:cluster:\${Cluster}`],
    why: 'registers the cluster with the proxy',
  },
  {
    action: 'rds:DeregisterDBProxyTargets',
    commands: DELETES,
    resources: [...PROXIES, `${RDS}:cluster:\${Cluster}`],
    why: 'deregisters it before the proxy goes',
  },
  // Amazon RDS: tags
  {
    action: 'rds:ListTagsForResource',
    commands: STACK_READS,
    resources: [`${RDS}:db-proxy:*`, `${RDS}:subgrp:\${SubnetGroup}`],
    why: 'checks the stack tag on the proxy and the subnet group (the cluster and writer list theirs when described)',
  },
  {
    action: 'rds:AddTagsToResource',
    commands: ['up'],
    resources: [`${RDS}:subgrp:\${SubnetGroup}`, `${RDS}:cluster:\${Cluster}`, `${RDS}:db:\${Instance}`, `${RDS}:db-proxy:*`],
    why: 'the stack tag, given when each RDS resource is created',
    authorizedWith: 'the rds:Create* calls that tag what they create',
  },
  // Amazon EC2: the network and the security groups
  { action: 'ec2:DescribeVpcs', commands: ['up', 'doctor'], resources: ['*'], why: `finds the (default) VPC; doctor reads the proxy's with --client-sg. It ${NO_RESOURCE_LEVEL}` },
  { action: 'ec2:DescribeSubnets', commands: ['up', 'doctor'], resources: ['*'], why: `finds the subnets and their zones; ${NO_RESOURCE_LEVEL}` },
  { action: 'ec2:DescribeSecurityGroups', commands: [...STACK_READS, 'doctor'], resources: ['*'], why: `finds the groups by name and reads their rules; ${NO_RESOURCE_LEVEL}` },
  { action: 'ec2:DescribeSecurityGroupRules', commands: ['up'], resources: ['*'], why: `reads the rules by id to repair them; ${NO_RESOURCE_LEVEL}` },
  {
    action: 'ec2:DescribeVpcEndpoints',
    commands: ['doctor'],
    resources: ['*'],
    why: `looks for a Secrets Manager endpoint when the proxy may not reach the internet; ${NO_RESOURCE_LEVEL}`,
  },
  {
    action: 'ec2:CreateSecurityGroup',
    commands: ['up'],
    resources: [`${EC2}:security-group/*`, `${EC2}:vpc/*`],
    why: `creates the proxy and cluster groups in the VPC; ${GROUP_IDS}`,
  },
  {
    action: 'ec2:CreateTags',
    commands: ['up'],
    resources: [`${EC2}:security-group/*`],
    why: 'the stack tag, given when a group is created, and only then',
    condition: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' } },
    authorizedWith: 'ec2:CreateSecurityGroup with tags',
  },
  { action: 'ec2:AuthorizeSecurityGroupIngress', commands: ['up'], resources: [`${EC2}:security-group/*`], why: `admits 5432 from the client and the proxy; ${GROUP_IDS}` },
  { action: 'ec2:RevokeSecurityGroupIngress', commands: ['up'], resources: [`${EC2}:security-group/*`], why: 'removes a rule that drifted in' },
  { action: 'ec2:DeleteSecurityGroup', commands: DELETES, resources: [`${EC2}:security-group/*`], why: 'deletes the groups' },
  // AWS Secrets Manager: the master secret
  { action: 'secretsmanager:GetRandomPassword', commands: ['up'], resources: ['*'], why: `makes the master password; ${NO_RESOURCE_LEVEL}` },
  { action: 'secretsmanager:CreateSecret', commands: ['up'], resources: [STACK_SECRET], why: 'creates the master secret rdsproxy-setup/<stack>/master' },
  {
    action: 'secretsmanager:TagResource',
    commands: ['up'],
    resources: [STACK_SECRET],
    why: 'the stack tag, given when the secret is created',
    authorizedWith: 'secretsmanager:CreateSecret with tags',
  },
  { action: 'secretsmanager:DescribeSecret', commands: STACK_READS, resources: [STACK_SECRET], why: 'finds the secret and its tag' },
  { action: 'secretsmanager:DescribeSecret', commands: ['doctor'], resources: [ANY_SECRET], why: `reads the proxy's secrets: ${ANY_PROXY}` },
  {
    action: 'secretsmanager:GetSecretValue',
    commands: ['up', 'status'],
    resources: [STACK_SECRET],
    why: 'up reads the password for the cluster and writes the endpoint next to it; status reads the master user',
  },
  {
    action: 'secretsmanager:GetSecretValue',
    commands: ['doctor'],
    resources: [ANY_SECRET],
    why: 'checks that the proxy\'s secrets hold username and password (never printed); without it secret.shape is skipped',
  },
  { action: 'secretsmanager:GetResourcePolicy', commands: ['doctor'], resources: [ANY_SECRET], why: 'looks for a Deny of the proxy\'s role in the secret\'s own policy' },
  { action: 'secretsmanager:PutSecretValue', commands: ['up'], resources: [STACK_SECRET], why: 'writes the cluster endpoint into the secret' },
  { action: 'secretsmanager:RestoreSecret', commands: ['up'], resources: [STACK_SECRET], why: 'restores a secret scheduled for deletion' },
  { action: 'secretsmanager:DeleteSecret', commands: DELETES, resources: [STACK_SECRET], why: 'deletes it (recoverable for 7 days)' },
  // AWS IAM: the proxy's role
  { action: 'iam:GetRole', commands: STACK_READS, resources: STACK_ROLES, why: 'finds the proxy\'s role rdsproxy-<stack>-<region> and the client function\'s <stack>-client-<region> (IAM ARNs have no region)' },
  { action: 'iam:GetRole', commands: ['doctor'], resources: [ANY_ROLE], why: `reads the proxy's role and the function's: ${ANY_PROXY}` },
  { action: 'iam:ListRoleTags', commands: STACK_READS, resources: STACK_ROLES, why: 'reads the stack tag when GetRole leaves the tags out' },
  { action: 'iam:CreateRole', commands: ['up'], resources: STACK_ROLES, why: 'creates the roles, trusted by rds.amazonaws.com (the proxy\'s) and lambda.amazonaws.com (the client function\'s)' },
  { action: 'iam:TagRole', commands: ['up'], resources: STACK_ROLES, why: 'the stack tag, given when the role is created', authorizedWith: 'iam:CreateRole with tags' },
  { action: 'iam:PutRolePolicy', commands: ['up'], resources: STACK_ROLES, why: 'writes and repairs its inline policy' },
  { action: 'iam:GetRolePolicy', commands: ['up'], resources: STACK_ROLES, why: 'reads the inline policy to repair it' },
  { action: 'iam:GetRolePolicy', commands: ['doctor'], resources: [ANY_ROLE], why: 'reads the role\'s inline policies' },
  { action: 'iam:ListRolePolicies', commands: DELETES, resources: STACK_ROLES, why: 'lists the inline policies IAM needs deleted before the role' },
  { action: 'iam:ListRolePolicies', commands: ['doctor'], resources: [ANY_ROLE], why: 'lists the role\'s inline policies' },
  { action: 'iam:ListAttachedRolePolicies', commands: DELETES, resources: STACK_ROLES, why: 'lists the managed policies IAM needs detached before the role goes' },
  { action: 'iam:ListAttachedRolePolicies', commands: ['doctor'], resources: [ANY_ROLE], why: 'lists the role\'s managed policies' },
  { action: 'iam:DeleteRolePolicy', commands: DELETES, resources: STACK_ROLES, why: 'deletes the inline policies' },
  { action: 'iam:DetachRolePolicy', commands: DELETES, resources: STACK_ROLES, why: 'detaches managed policies someone attached' },
  { action: 'iam:DeleteRole', commands: DELETES, resources: STACK_ROLES, why: 'deletes the roles' },
  {
    action: 'iam:PassRole',
    commands: ['up'],
    resources: [STACK_ROLE],
    why: 'hands the role to the proxy, and to RDS only',
    condition: { StringEquals: { 'iam:PassedToService': 'rds.amazonaws.com' } },
    authorizedWith: 'rds:CreateDBProxy',
  },
  {
    action: 'iam:PassRole',
    commands: ['up'],
    resources: [`${IAM}:role/\${ClientRole}`],
    why: "hands the client function's role to it, and to Lambda only",
    condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
    authorizedWith: 'lambda:CreateFunction',
  },
  {
    action: 'iam:CreateServiceLinkedRole',
    commands: ['up'],
    resources: [`${IAM}:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS`],
    why: 'RDS creates its service-linked role with the first RDS resource of an account',
    condition: { StringEquals: { 'iam:AWSServiceName': 'rds.amazonaws.com' } },
    authorizedWith: 'the first rds:Create* call of the account',
  },
  {
    action: 'iam:GetPolicy',
    commands: ['doctor'],
    resources: ['arn:${Partition}:iam::*:policy/*'],
    why: 'reads the managed policies attached to a role (AWS managed ones live in the account "aws")',
  },
  { action: 'iam:GetPolicyVersion', commands: ['doctor'], resources: ['arn:${Partition}:iam::*:policy/*'], why: 'reads their documents' },
  {
    action: 'iam:SimulatePrincipalPolicy',
    commands: ['doctor'],
    resources: [ANY_ROLE],
    why: 'asks IAM whether a role may read the secret or connect; without it doctor evaluates the policies itself and says so',
  },
  // AWS KMS: a customer managed key of a secret
  { action: 'kms:DescribeKey', commands: ['doctor'], resources: ['arn:${Partition}:kms:${Region}:${Account}:key/*'], why: 'reads the key a secret is encrypted with' },
  { action: 'kms:GetKeyPolicy', commands: ['doctor'], resources: ['arn:${Partition}:kms:${Region}:${Account}:key/*'], why: 'reads whether its key policy lets the role decrypt' },
  // AWS Lambda: the client of doctor --lambda
  {
    action: 'lambda:GetFunctionConfiguration',
    commands: ['doctor'],
    resources: ['arn:${Partition}:lambda:${Region}:${Account}:function:*'],
    why: 'reads the client function\'s network, environment and role',
  },
  // AWS Lambda: the stack's own client function <stack>-client (up --with-lambda, connect --from-lambda)
  { action: 'lambda:GetFunction', commands: STACK_READS, resources: [CLIENT_FUNCTION], why: 'finds the client function, its code digest and its stack tag, and waits until it is ready' },
  { action: 'lambda:CreateFunction', commands: ['up'], resources: [CLIENT_FUNCTION], why: 'creates the client function from the package the CLI ships' },
  {
    action: 'lambda:TagResource',
    commands: ['up'],
    resources: [CLIENT_FUNCTION],
    why: 'the stack tag, given when the function is created',
    authorizedWith: 'lambda:CreateFunction with tags',
  },
  { action: 'lambda:UpdateFunctionCode', commands: ['up'], resources: [CLIENT_FUNCTION], why: 'deploys a new package (a new CLI version) when its CodeSha256 differs' },
  { action: 'lambda:UpdateFunctionConfiguration', commands: ['up'], resources: [CLIENT_FUNCTION], why: 'repairs its runtime, handler, role, timeout and memory' },
  { action: 'lambda:DeleteFunction', commands: DELETES, resources: [CLIENT_FUNCTION], why: 'deletes the client function' },
  { action: 'lambda:InvokeFunction', commands: ['connect'], resources: [CLIENT_FUNCTION], why: 'runs the client function: connect --from-lambda' },
  // Amazon CloudWatch Logs: the proxy's log group
  {
    action: 'logs:FilterLogEvents',
    commands: ['doctor'],
    resources: ['arn:${Partition}:logs:${Region}:${Account}:log-group:/aws/rds/proxy/*'],
    why: 'looks for known errors in the proxy\'s recent log events',
  },
  {
    action: 'logs:DeleteLogGroup',
    commands: DELETES,
    resources: [CLIENT_LOG_GROUP, `${CLIENT_LOG_GROUP}:*`],
    why: 'deletes the log group Lambda made for the client function',
  },
  // RDS IAM authentication: logging in through the proxy
  {
    action: 'rds-db:connect',
    commands: ['connect'],
    resources: ['arn:${Partition}:rds-db:${Region}:${Account}:dbuser:prx-*/*'],
    why: 'logs in through a proxy with an IAM token; the resource names the proxy\'s prx- id and the database user',
    authorizedWith: 'the proxy, when connect logs in with the IAM token',
  },
];
