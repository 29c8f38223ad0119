/**
 * The limits AWS documents for the values this CLI sends, each with the page that documents it.
 * AWS's service models (what the SDK and the sandbox know) omit most of them, so without this
 * table a bad value passes and AWS refuses it only at its step, after earlier steps created
 * resources. The rules in rules.ts take their numbers from here and check them before any AWS
 * call. The sandbox keeps its own list (sandbox/middleware/request_model/documented_limits.py):
 * it judges what the CLI sends independently of this table.
 */

const RDS_API = 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference';
const EC2_API = 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference';
const IAM_API = 'https://docs.aws.amazon.com/IAM/latest/APIReference';

/** A whole number AWS accepts only within [min, max]. */
export interface NumberLimit {
  readonly min: number;
  readonly max: number;
  readonly source: string;
}

/** A name AWS accepts only when it matches `pattern` (whole value) and is none of `reserved`. */
export interface NameLimit {
  readonly maxLength: number;
  readonly pattern: RegExp;
  /** The rule in words, for error messages. */
  readonly rule: string;
  /** Refused whatever their case. */
  readonly reserved?: readonly string[];
  readonly reservedPrefixes?: readonly string[];
  readonly source: string;
}

/** 1-63 letters, digits and hyphens; a letter first; no two hyphens in a row and none at the end. */
const RDS_IDENTIFIER = /^[A-Za-z](?:-?[A-Za-z0-9]){0,62}$/;
const RDS_IDENTIFIER_RULE = '1-63 letters, digits and hyphens, starting with a letter, with no two hyphens in a row and none at the end';

export const AWS_LIMITS = {
  /** ConnectionPoolConfiguration.ConnectionBorrowTimeout, seconds ("Must be between 0 and 300"). */
  connectionBorrowTimeout: { min: 0, max: 300, source: `${RDS_API}/API_ConnectionPoolConfiguration.html` },
  /** ConnectionPoolConfiguration.MaxConnectionsPercent ("Must be between 1 and 100"). */
  maxConnectionsPercent: { min: 1, max: 100, source: `${RDS_API}/API_ConnectionPoolConfiguration.html` },
  /** ConnectionPoolConfiguration.MaxIdleConnectionsPercent: 0 up to MaxConnectionsPercent. */
  maxIdleConnectionsPercent: { min: 0, max: 100, source: `${RDS_API}/API_ConnectionPoolConfiguration.html` },
  /** DBProxy.IdleClientTimeout, seconds ("1 to 28,800"). */
  idleClientTimeout: { min: 1, max: 28_800, source: `${RDS_API}/API_DBProxy.html` },

  securityGroupName: {
    maxLength: 255,
    pattern: /^(?!sg-)[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/,
    rule: 'up to 255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*, not starting with "sg-"',
    source: `${EC2_API}/API_CreateSecurityGroup.html`,
  },
  dbClusterIdentifier: {
    maxLength: 63,
    pattern: RDS_IDENTIFIER,
    rule: RDS_IDENTIFIER_RULE,
    source: `${RDS_API}/API_CreateDBCluster.html`,
  },
  dbInstanceIdentifier: {
    maxLength: 63,
    pattern: RDS_IDENTIFIER,
    rule: RDS_IDENTIFIER_RULE,
    source: `${RDS_API}/API_CreateDBInstance.html`,
  },
  dbProxyName: {
    maxLength: 63,
    pattern: RDS_IDENTIFIER,
    rule: RDS_IDENTIFIER_RULE,
    source: `${RDS_API}/API_CreateDBProxy.html`,
  },
  /** A function name, or its full or partial ARN, as GetFunctionConfiguration takes it. */
  lambdaFunctionName: {
    maxLength: 170,
    pattern: /^(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?[A-Za-z0-9_-]{1,64}(?::(?:\$LATEST|[A-Za-z0-9_-]{1,128}))?$/,
    rule: 'a function name (1-64 letters, digits, hyphens and underscores) or its ARN',
    source: 'https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html',
  },
  /** "default" names the account's default group: it exists, but no group can be created under it. */
  dbSubnetGroupName: {
    maxLength: 255,
    pattern: /^[A-Za-z][A-Za-z0-9 ._-]{0,254}$/,
    rule: 'up to 255 letters, digits, periods, underscores, spaces and hyphens, starting with a letter',
    reserved: ['default'],
    source: `${RDS_API}/API_CreateDBSubnetGroup.html`,
  },
  iamRoleName: {
    maxLength: 64,
    pattern: /^[\w+=,.@-]{1,64}$/,
    rule: '1-64 letters, digits and +=,.@_-',
    source: `${IAM_API}/API_CreateRole.html`,
  },
  /**
   * CreateDBCluster's MasterUsername: 1-16 characters, a letter first, not a word the engine
   * reserves. Aurora PostgreSQL refuses "admin" ("reserved word used by the engine") but takes
   * "postgres", the console's default; rdsadmin and the rds_* roles are RDS's own, pg_* roles
   * PostgreSQL's, public and none are PostgreSQL role names no role may take.
   */
  masterUsername: {
    maxLength: 16,
    pattern: /^[A-Za-z][A-Za-z0-9_]{0,15}$/,
    rule: '1-16 letters, digits or underscores, starting with a letter',
    reserved: ['admin', 'rdsadmin', 'rdsrepladmin', 'rdsproxyadmin', 'public', 'none'],
    reservedPrefixes: ['rds_', 'pg_'],
    source: `${RDS_API}/API_CreateDBCluster.html`,
  },
  /** DBName for Aurora PostgreSQL ("1 to 63 alphanumeric characters", a letter first). */
  databaseName: {
    maxLength: 63,
    pattern: /^[A-Za-z][A-Za-z0-9_]{0,62}$/,
    rule: '1-63 letters, digits or underscores, starting with a letter',
    reserved: ['rdsadmin', 'template0', 'template1'],
    source: `${RDS_API}/API_CreateDBInstance.html`,
  },
  /**
   * Tags on one EC2 resource (the proxy's security group holds the index of a stack's clients):
   * 50, refused with TagLimitExceeded (user guide: Using_Tags.html#tag-restrictions).
   */
  ec2TagsPerResource: { min: 0, max: 50, source: `${EC2_API}/API_CreateTags.html` },
  /** Tags on one Lambda function: 50 (Lambda quotas, configuration-tags.html). */
  lambdaTagsPerFunction: { min: 0, max: 50, source: 'https://docs.aws.amazon.com/lambda/latest/api/API_TagResource.html' },
  /** Tags on one IAM role ("Maximum number of 50 items"). */
  iamTagsPerRole: { min: 0, max: 50, source: `${IAM_API}/API_TagRole.html` },
  /**
   * The characters of all inline policies of one role together, whitespace not counted:
   * RolePolicySizeQuota (reference_iam-quotas.html).
   */
  rolePolicySize: { min: 0, max: 10_240, source: `${IAM_API}/API_GetAccountSummary.html` },
  /**
   * Managed policies attached to one role: the default AttachedPoliciesPerRoleQuota, which can be
   * raised to 20; grant reads the account's own quota first and falls back to this.
   */
  attachedPoliciesPerRole: { min: 0, max: 10, source: `${IAM_API}/API_GetAccountSummary.html` },
  /** A tag value on a Lambda function or an IAM role (EC2 takes any character). */
  lambdaOrIamTagValue: {
    maxLength: 256,
    pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u,
    rule: 'up to 256 letters, digits, spaces and _.:/=+-@',
    source: 'https://docs.aws.amazon.com/lambda/latest/api/API_TagResource.html',
  },
  /** An IAM role given by its ARN (grant --role takes a name or an ARN). */
  iamRoleArn: {
    maxLength: 2048,
    pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\x21-\x7e]*\/)?[\w+=,.@-]{1,64}$/,
    rule: 'arn:<partition>:iam::<account>:role/<path/>name',
    source: `${IAM_API}/API_Role.html`,
  },
} as const satisfies Record<string, NumberLimit | NameLimit>;

/**
 * The SQL key words PostgreSQL reserves: AWS refuses them as master user or database name ("Can't
 * be a word reserved by the database engine") and they cannot name a role or database unquoted.
 */
export const POSTGRES_RESERVED_WORDS = {
  words: new Set(
    (
      'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate ' +
      'collation column concurrently constraint create cross current_catalog current_date current_role ' +
      'current_schema current_time current_timestamp current_user default deferrable desc distinct do else end ' +
      'except false fetch for foreign freeze from full grant group having ilike in initially inner intersect into ' +
      'is isnull join lateral leading left like limit localtime localtimestamp natural not notnull null offset on ' +
      'only or order outer overlaps placing primary references returning right select session_user similar some ' +
      'symmetric system_user table tablesample then to trailing true union unique user using variadic verbose when ' +
      'where window with'
    ).split(' '),
  ),
  source: 'https://www.postgresql.org/docs/current/sql-keywords-appendix.html',
} as const;

/** Why `value` breaks the name rule, in words, or undefined when it passes. */
export function nameProblem(value: string, limit: NameLimit): string | undefined {
  const lower = value.toLowerCase();
  if (value.length > limit.maxLength || !limit.pattern.test(value)) return limit.rule;
  if (limit.reserved?.includes(lower)) return `"${value}" is reserved`;
  const prefix = limit.reservedPrefixes?.find((p) => lower.startsWith(p));
  return prefix === undefined ? undefined : `names starting "${prefix}" are reserved`;
}
