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
 * list_amazoncloudwatchlogs, list_amazonrdsiamauthentication, list_awssystemsmanager, list_amazonrdsdataapi).
 */

export const POLICY_COMMANDS = ['up', 'status', 'teardown', 'doctor', 'connect', 'grant', 'revoke', 'user'] as const;
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
/** Every secret of the stack: the master's, and its database users' (rdsproxy-setup/<stack>/users/<user>). */
const STACK_SECRETS = 'arn:${Partition}:secretsmanager:${Region}:${Account}:secret:rdsproxy-setup/${Stack}/*';
const STACK_ROLE = `${IAM}:role/\${Role}`;
/** The proxy's role and the client function's execution role (`up --with-lambda`). */
const STACK_ROLES = [STACK_ROLE, `${IAM}:role/\${ClientRole}`];
const CLIENT_FUNCTION = 'arn:${Partition}:lambda:${Region}:${Account}:function:${ClientFunction}';
const CLIENT_LOG_GROUP = 'arn:${Partition}:logs:${Region}:${Account}:log-group:/aws/lambda/${ClientFunction}';
const ANY_ROLE = `${IAM}:role/*`;
const PROXIES = [`${RDS}:db-proxy:*`, `${RDS}:target-group:*`];
/** The stack's lease and its takeover markers: /rdsproxy-setup/<stack>/… (config/names.ts). */
const STACK_PARAMETERS = 'arn:${Partition}:ssm:${Region}:${Account}:parameter/rdsproxy-setup/${Stack}/*';
/** The commands that write to the stack, and so hold its lease. */
const WRITERS: readonly PolicyCommand[] = ['up', 'teardown', 'grant', 'revoke', 'user'];

const NO_RESOURCE_LEVEL = 'supports no resource-level permissions, so the resource is *';
const PROXY_IDS = "a proxy's ARN (and its target group's) holds its prx- resource id, not its name, so no pattern can name the stack's";
const GROUP_IDS = 'security group ids are assigned by AWS, so no pattern can name the stack\'s groups';
const ANY_PROXY = 'doctor and connect work on any proxy in the account and region, whoever made it';
/** Where teardown and status meet a stack's clients: teardown revokes each one first. */
const CLIENT_WRITES: readonly PolicyCommand[] = ['grant', 'revoke', 'teardown'];
const CLIENT_READS: readonly PolicyCommand[] = ['grant', 'revoke', 'status', 'teardown'];
const CLIENT_ROLES = "a client's role is any role in the account (a Lambda function's execution role, or the one given to --role)";
const FUNCTIONS = 'arn:${Partition}:lambda:${Region}:${Account}:function:*';
/** What grant's closing client checks read (the doctor's discovery of the stack's proxy). */
const CLIENT_CHECKS = "grant's closing client checks (doctor's) read it";

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
  { action: 'rds:DescribeDBProxies', commands: ['grant'], resources: [`${RDS}:db-proxy:*`], why: `reads the stack's proxy: its endpoint, id, VPC and subnets; ${PROXY_IDS}` },
  { action: 'rds:DescribeDBProxyTargets', commands: ['grant'], resources: PROXIES, why: `${CLIENT_CHECKS}: the cluster behind the proxy` },
  { action: 'rds:DescribeDBClusters', commands: ['grant'], resources: [`${RDS}:cluster:*`], why: `reads the stack's database name; ${CLIENT_CHECKS}` },
  { action: 'rds:DescribeDBInstances', commands: ['grant'], resources: [`${RDS}:db:*`], why: `${CLIENT_CHECKS} (client.endpoint tells the proxy from the database's endpoints)` },
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
  { action: 'rds:ListTagsForResource', commands: ['grant'], resources: [`${RDS}:db-proxy:*`], why: 'checks the stack tag on the proxy' },
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
  {
    action: 'ec2:DescribeSecurityGroups',
    commands: ['grant', 'revoke'],
    resources: ['*'],
    why: `reads the proxy's group (the index of clients is in its tags) and the client's groups; ${NO_RESOURCE_LEVEL}`,
  },
  {
    action: 'ec2:DescribeSubnets',
    commands: ['grant'],
    resources: ['*'],
    why: `Lambda checks the subnets of a new VPC placement with the caller's permissions; ${CLIENT_CHECKS}. It ${NO_RESOURCE_LEVEL}`,
  },
  {
    action: 'ec2:DescribeVpcs',
    commands: ['grant'],
    resources: ['*'],
    why: `Lambda checks the VPC of a new placement with the caller's permissions; ${CLIENT_CHECKS} with --client-sg. It ${NO_RESOURCE_LEVEL}`,
  },
  {
    action: 'ec2:CreateSecurityGroup',
    commands: ['grant'],
    resources: [`${EC2}:security-group/*`, `${EC2}:vpc/*`],
    why: `creates the stack's client group <stack>-client-sg for functions placed in the proxy's subnets; ${GROUP_IDS}`,
  },
  {
    action: 'ec2:CreateTags',
    commands: ['grant'],
    resources: [`${EC2}:security-group/*`],
    why: "writes a client's index entry on the proxy's group (and the stack tag of the client group it creates)",
  },
  { action: 'ec2:DeleteTags', commands: CLIENT_WRITES, resources: [`${EC2}:security-group/*`], why: "removes a client's index entry, and only while it holds the value written" },
  { action: 'ec2:AuthorizeSecurityGroupIngress', commands: ['grant'], resources: [`${EC2}:security-group/*`], why: 'admits 5432 from the client\'s group into the proxy\'s' },
  { action: 'ec2:AuthorizeSecurityGroupEgress', commands: ['grant'], resources: [`${EC2}:security-group/*`], why: 'lets the client\'s group out to the proxy\'s on 5432 when it may not yet' },
  { action: 'ec2:RevokeSecurityGroupIngress', commands: CLIENT_WRITES, resources: [`${EC2}:security-group/*`], why: 'removes the rules grant added (and a failed grant\'s)' },
  { action: 'ec2:RevokeSecurityGroupEgress', commands: CLIENT_WRITES, resources: [`${EC2}:security-group/*`], why: 'removes the egress rules grant added' },
  { action: 'ec2:DeleteSecurityGroup', commands: ['grant', 'revoke'], resources: [`${EC2}:security-group/*`], why: 'deletes the client group once no client uses it' },
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
  {
    action: 'secretsmanager:DeleteSecret',
    commands: DELETES,
    resources: [STACK_SECRETS],
    why: "deletes it and the database users' secrets (recoverable for 7 days)",
  },
  {
    action: 'secretsmanager:GetSecretValue',
    commands: ['grant'],
    resources: [STACK_SECRET],
    why: `reads the user the proxy's secret holds, the default --user (never the password); ${CLIENT_CHECKS}`,
  },
  { action: 'secretsmanager:DescribeSecret', commands: ['grant'], resources: [STACK_SECRET], why: CLIENT_CHECKS },
  // AWS IAM: the proxy's role
  { action: 'iam:GetRole', commands: ['up'], resources: STACK_ROLES, why: 'finds the proxy\'s role rdsproxy-<stack>-<region> and the client function\'s <stack>-client-<region> (IAM ARNs have no region)' },
  { action: 'iam:GetRole', commands: ['doctor'], resources: [ANY_ROLE], why: `reads the proxy's role and the function's: ${ANY_PROXY}` },
  { action: 'iam:ListRoleTags', commands: ['up'], resources: STACK_ROLES, why: 'reads the stack tag when GetRole leaves the tags out' },
  { action: 'iam:CreateRole', commands: ['up'], resources: STACK_ROLES, why: 'creates the roles, trusted by rds.amazonaws.com (the proxy\'s) and lambda.amazonaws.com (the client function\'s)' },
  { action: 'iam:TagRole', commands: ['up'], resources: STACK_ROLES, why: 'the stack tag, given when the role is created', authorizedWith: 'iam:CreateRole with tags' },
  { action: 'iam:PutRolePolicy', commands: ['up'], resources: STACK_ROLES, why: 'writes and repairs its inline policy' },
  { action: 'iam:GetRolePolicy', commands: ['up'], resources: STACK_ROLES, why: 'reads the inline policy to repair it' },
  { action: 'iam:GetRolePolicy', commands: ['doctor'], resources: [ANY_ROLE], why: 'reads the role\'s inline policies' },
  { action: 'iam:ListRolePolicies', commands: ['up'], resources: STACK_ROLES, why: 'lists the inline policies IAM needs deleted before the role' },
  { action: 'iam:ListRolePolicies', commands: ['doctor'], resources: [ANY_ROLE], why: 'lists the role\'s inline policies' },
  { action: 'iam:ListAttachedRolePolicies', commands: ['up'], resources: STACK_ROLES, why: 'lists the managed policies IAM needs detached before the role goes' },
  { action: 'iam:ListAttachedRolePolicies', commands: ['doctor'], resources: [ANY_ROLE], why: 'lists the role\'s managed policies' },
  { action: 'iam:DeleteRolePolicy', commands: ['up'], resources: STACK_ROLES, why: 'deletes the inline policies' },
  { action: 'iam:DetachRolePolicy', commands: ['up'], resources: STACK_ROLES, why: 'detaches managed policies someone attached' },
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
    why: "hands the client function's role to it; no iam:PassedToService condition, to keep --for all in one managed policy: the role trusts only lambda.amazonaws.com, so no other service can use it",
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
  {
    action: 'iam:GetRole',
    commands: CLIENT_READS,
    resources: [ANY_ROLE],
    why: `the proxy's role (status, teardown) and the clients' roles: ${CLIENT_ROLES}`,
  },
  { action: 'iam:ListRoleTags', commands: CLIENT_READS, resources: [ANY_ROLE], why: `the stack tag of the proxy's role, and the records grant keeps on a client's role; ${CLIENT_ROLES}` },
  { action: 'iam:ListRolePolicies', commands: CLIENT_READS, resources: [ANY_ROLE], why: 'lists the inline policies: the proxy\'s role before teardown deletes it, a client\'s role for its connect policy' },
  { action: 'iam:ListAttachedRolePolicies', commands: CLIENT_READS, resources: [ANY_ROLE], why: 'lists the managed policies: the proxy\'s role before teardown deletes it, a client\'s for its network-interface permissions' },
  { action: 'iam:GetRolePolicy', commands: CLIENT_READS, resources: [ANY_ROLE], why: "reads the stack's connect policy on a client's role, and its other inline policies' size" },
  { action: 'iam:PutRolePolicy', commands: CLIENT_WRITES, resources: [ANY_ROLE], why: `writes the stack's rds-db:connect policy rdsproxy-setup-<stack>-connect on a client's role; ${CLIENT_ROLES}` },
  { action: 'iam:DeleteRolePolicy', commands: CLIENT_WRITES, resources: [ANY_ROLE], why: "deletes the proxy's role's inline policies (teardown) and the connect policy of a client's role" },
  {
    action: 'iam:AttachRolePolicy',
    commands: ['grant'],
    resources: [ANY_ROLE],
    why: 'attaches AWSLambdaVPCAccessExecutionRole, and only it, to a function\'s role that lacks the network-interface permissions',
    condition: { ArnLike: { 'iam:PolicyARN': 'arn:*:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole' } },
  },
  { action: 'iam:DetachRolePolicy', commands: CLIENT_WRITES, resources: [ANY_ROLE], why: 'detaches what someone attached to the proxy\'s role (teardown), and the AWSLambdaVPCAccessExecutionRole grant attached' },
  { action: 'iam:TagRole', commands: ['grant'], resources: [ANY_ROLE], why: 'writes the records of what grant changed on a client\'s role' },
  { action: 'iam:UntagRole', commands: CLIENT_WRITES, resources: [ANY_ROLE], why: 'removes those records' },
  {
    action: 'iam:SimulatePrincipalPolicy',
    commands: ['grant'],
    resources: [ANY_ROLE],
    why: "asks IAM whether a function's role has the network-interface permissions; without it grant reads the role's policies",
  },
  {
    action: 'iam:GetAccountSummary',
    commands: ['grant'],
    resources: ['*'],
    why: `reads how many managed policies a role may hold before attaching one; it ${NO_RESOURCE_LEVEL}`,
  },
  { action: 'iam:GetPolicy', commands: ['grant'], resources: ['arn:${Partition}:iam::*:policy/*'], why: `${CLIENT_CHECKS}: the managed policies of the function's role` },
  { action: 'iam:GetPolicyVersion', commands: ['grant'], resources: ['arn:${Partition}:iam::*:policy/*'], why: `${CLIENT_CHECKS}: their documents` },
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
  { action: 'lambda:GetFunctionConfiguration', commands: CLIENT_READS, resources: [FUNCTIONS], why: "reads a client function's role, network and environment, and waits for its updates" },
  { action: 'lambda:ListTags', commands: CLIENT_READS, resources: [FUNCTIONS], why: 'reads the records grant keeps on a client function' },
  { action: 'lambda:TagResource', commands: ['grant'], resources: [FUNCTIONS], why: 'records on the function what grant changes, before changing it' },
  { action: 'lambda:UntagResource', commands: CLIENT_WRITES, resources: [FUNCTIONS], why: 'removes those records' },
  {
    action: 'lambda:UpdateFunctionConfiguration',
    commands: CLIENT_WRITES,
    resources: [FUNCTIONS],
    why: 'sets the PG* environment and, with --attach-vpc, the VPC placement; revoke restores both',
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
  {
    action: 'lambda:GetFunction',
    commands: ['connect'],
    resources: [CLIENT_FUNCTION],
    why: 'connect --from-lambda: whether the stack has its function (making one needs --for up,grant too)',
  },
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
    resources: [`${CLIENT_LOG_GROUP}:*`],
    why: "deletes the log group Lambda made for the client function (IAM names a log group by the ARN with the trailing :*, as DescribeLogGroups' arn gives it)",
  },
  // RDS IAM authentication: logging in through the proxy
  {
    action: 'rds-db:connect',
    commands: ['connect'],
    resources: ['arn:${Partition}:rds-db:${Region}:${Account}:dbuser:prx-*/*'],
    why: 'logs in through a proxy with an IAM token; the resource names the proxy\'s prx- id and the database user',
    authorizedWith: 'the proxy, when connect logs in with the IAM token',
  },
  // AWS Systems Manager Parameter Store: the stack's lease (one writing run at a time)
  { action: 'ssm:GetParameter', commands: WRITERS, resources: [STACK_PARAMETERS], why: "reads the stack's lease: who holds it, and when it was last renewed" },
  {
    action: 'ssm:PutParameter',
    commands: WRITERS,
    resources: [STACK_PARAMETERS],
    why: 'takes the lease (create-if-absent), renews it while the run works, and takes over a stale one',
  },
  {
    action: 'ssm:AddTagsToResource',
    commands: WRITERS,
    resources: [STACK_PARAMETERS],
    why: 'the stack tag, given when the lease is created',
    authorizedWith: 'ssm:PutParameter with tags',
  },
  { action: 'ssm:DeleteParameter', commands: WRITERS, resources: [STACK_PARAMETERS], why: 'releases the lease at the end of the run' },

  // Database users (`user add|list|remove`): the Data API, the users' secrets, the proxy's auth list, the role's policies
  { action: 'rds:DescribeDBClusters', commands: ['user'], resources: [`${RDS}:cluster:\${Cluster}`], why: 'reads the cluster: its ARN, resource id, database, master user and HTTP endpoint' },
  { action: 'rds:DescribeDBProxies', commands: ['user'], resources: [`${RDS}:db-proxy:*`], why: `reads the proxy's auth list and auth scheme; ${PROXY_IDS}` },
  { action: 'rds:ListTagsForResource', commands: ['user'], resources: [`${RDS}:db-proxy:*`], why: 'checks the stack tag on the proxy before changing its auth list' },
  { action: 'rds:ModifyDBProxy', commands: ['user'], resources: [`${RDS}:db-proxy:*`], why: "adds a user's secret to the proxy's auth list, and removes it" },
  {
    action: 'rds:EnableHttpEndpoint',
    commands: ['up', 'user'],
    resources: [`${RDS}:cluster:\${Cluster}`],
    why: "turns on the cluster's Data API: up --data-api, and a user command that finds it off",
  },
  { action: 'rds:DisableHttpEndpoint', commands: ['user'], resources: [`${RDS}:cluster:\${Cluster}`], why: 'turns it off again (--close-data-api)' },
  { action: 'rds-data:ExecuteStatement', commands: ['user'], resources: [`${RDS}:cluster:\${Cluster}`], why: "runs the users' SQL on the stack's cluster (the Data API's resource is the cluster)" },
  { action: 'rds-data:BeginTransaction', commands: ['user'], resources: [`${RDS}:cluster:\${Cluster}`], why: 'creates and drops a user in one transaction' },
  { action: 'rds-data:CommitTransaction', commands: ['user'], resources: [`${RDS}:cluster:\${Cluster}`], why: 'commits it' },
  { action: 'rds-data:RollbackTransaction', commands: ['user'], resources: [`${RDS}:cluster:\${Cluster}`], why: 'undoes it when a statement fails' },
  {
    action: 'secretsmanager:GetSecretValue',
    commands: ['user'],
    resources: [STACK_SECRET],
    why: 'the Data API signs in with the master secret, read with the caller\'s own credentials',
    authorizedWith: 'rds-data calls with the master secret',
  },
  { action: 'secretsmanager:DescribeSecret', commands: ['user'], resources: [STACK_SECRETS], why: "finds the master secret and a user's secret, and their tags" },
  { action: 'secretsmanager:GetRandomPassword', commands: ['user'], resources: ['*'], why: `makes a user's password; ${NO_RESOURCE_LEVEL}` },
  { action: 'secretsmanager:CreateSecret', commands: ['user'], resources: [STACK_SECRETS], why: "creates a user's secret rdsproxy-setup/<stack>/users/<user>" },
  {
    action: 'secretsmanager:TagResource',
    commands: ['user'],
    resources: [STACK_SECRETS],
    why: 'the stack tag, given when the secret is created',
    authorizedWith: 'secretsmanager:CreateSecret with tags',
  },
  { action: 'secretsmanager:PutSecretValue', commands: ['user'], resources: [STACK_SECRETS], why: 'gives a left-over secret of the same user a new password' },
  { action: 'secretsmanager:RestoreSecret', commands: ['user'], resources: [STACK_SECRETS], why: "restores a user's secret a teardown left in its recovery window" },
  { action: 'secretsmanager:DeleteSecret', commands: ['user'], resources: [STACK_SECRETS], why: "deletes a removed user's secret at once (its role is gone)" },
  {
    action: 'secretsmanager:ListSecrets',
    commands: ['teardown'],
    resources: ['*'],
    why: `finds the users' secrets by their name prefix; ${NO_RESOURCE_LEVEL}`,
  },
  { action: 'iam:GetRole', commands: ['user'], resources: [STACK_ROLE], why: "reads the proxy's role and its stack tag" },
  { action: 'iam:PutRolePolicy', commands: ['user'], resources: [STACK_ROLE], why: 'lets the proxy log in as a user: the inline policy user-<user>' },
  { action: 'iam:GetRolePolicy', commands: ['user'], resources: [STACK_ROLE], why: "reads a user's inline policy" },
  { action: 'iam:ListRolePolicies', commands: ['user'], resources: [STACK_ROLE], why: "lists the users' inline policies" },
  { action: 'iam:DeleteRolePolicy', commands: ['user'], resources: [STACK_ROLE], why: "deletes a removed user's inline policy" },
  {
    action: 'rds-data:ExecuteStatement',
    commands: ['doctor'],
    resources: [`${RDS}:cluster:*`],
    why: `with --user, asks the proxy's cluster whether the user exists and is in rds_iam, when its Data API is on: ${ANY_PROXY}`,
  },
];
