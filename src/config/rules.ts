import { UsageError } from '../errors.js';
import { AWS_LIMITS, nameProblem, POSTGRES_RESERVED_WORDS, type NumberLimit } from './aws-limits.js';
import { constrainedNames, type StackNames } from './names.js';

/** Each rule throws UsageError naming the option and what it must be; nothing here calls AWS. */

export function stackName(value: string, option = '--name'): string {
  if (!/^[a-z](?:[a-z0-9]|-(?!-))*$/.test(value) || value.length > 40 || value.endsWith('-')) {
    throw new UsageError(
      `${option} "${value}" is not a valid stack name: use 1-40 lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen.`,
    );
  }
  return value;
}

/** An AWS region name such as eu-west-1, whether from --region, the environment or a profile. */
export function regionName(value: string, option = '--region'): string {
  if (!/^[a-z]{2}(?:-[a-z]+)+-\d$/.test(value)) {
    throw new UsageError(`${option} "${value}" is not an AWS region name such as eu-west-1.`);
  }
  return value;
}

function awsId(prefix: string, value: string, option: string): string {
  if (!new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`).test(value)) {
    throw new UsageError(`${option} "${value}" is not a valid id: expected ${prefix}- followed by 8 or 17 hex digits.`);
  }
  return value;
}

export const securityGroupId = (value: string, option: string) => awsId('sg', value, option);
export const subnetId = (value: string, option: string) => awsId('subnet', value, option);
export const vpcId = (value: string, option: string) => awsId('vpc', value, option);

export function subnetIds(value: string, option: string): string[] {
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (ids.length < 2) {
    throw new UsageError(`${option} needs at least two subnet ids, comma-separated, in different Availability Zones.`);
  }
  if (new Set(ids).size !== ids.length) throw new UsageError(`${option} lists a subnet twice.`);
  return ids.map((id) => subnetId(id, option));
}

export function ipv4Cidr(value: string, option: string): string {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  const octets = match?.slice(1, 5).map(Number) ?? [];
  const bits = Number(match?.[5]);
  if (!match || octets.some((o) => o > 255) || bits > 32) {
    throw new UsageError(`${option} "${value}" is not an IPv4 CIDR block such as 10.0.0.0/16.`);
  }
  if (bits === 0) throw new UsageError(`${option} must not open the proxy to the whole internet (/0).`);
  return value;
}

export function number(value: string, option: string): number {
  if (!/^\d+(?:\.\d+)?$/.test(value.trim())) throw new UsageError(`${option} "${value}" is not a number.`);
  return Number(value);
}

export function integerInRange(value: string, option: string, min: number, max: number, unit = ''): number {
  const n = number(value, option);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${option} must be a whole number from ${min} to ${max}${unit}; got "${value}".`);
  }
  return n;
}

/** A whole number within a limit AWS documents (aws-limits.ts). */
export function integerWithin(value: string, option: string, limit: NumberLimit, unit = ''): number {
  return integerInRange(value, option, limit.min, limit.max, unit);
}

/** Serverless v2 capacity: 0 to 256 ACUs in steps of 0.5, max at least 1, min <= max. */
export function acuRange(minRaw: string, maxRaw: string): { min: number; max: number } {
  const min = number(minRaw, '--min-acu');
  const max = number(maxRaw, '--max-acu');
  for (const [n, option] of [
    [min, '--min-acu'],
    [max, '--max-acu'],
  ] as const) {
    if (n * 2 !== Math.round(n * 2)) throw new UsageError(`${option} must be a multiple of 0.5 ACU; got ${n}.`);
    if (n < 0 || n > 256) throw new UsageError(`${option} must be from 0 to 256 ACUs; got ${n}.`);
  }
  if (max < 1) throw new UsageError(`--max-acu must be at least 1 ACU (Aurora Serverless v2 limit); got ${max}.`);
  if (min > max) throw new UsageError(`--min-acu (${min}) must not exceed --max-acu (${max}).`);
  return { min, max };
}

function postgresIdentifier(value: string, option: string, what: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(value)) {
    throw new UsageError(
      `${option} "${value}" is not a valid ${what}: 1-63 letters, digits or underscores, starting with a letter.`,
    );
  }
  if (POSTGRES_RESERVED_WORDS.words.has(value.toLowerCase())) {
    throw new UsageError(`${option} "${value}" is a reserved word in PostgreSQL; choose another ${what}.`);
  }
  return value;
}

/** A database user (connect's --user): a PostgreSQL role name that RDS does not keep for itself. */
export function databaseUser(value: string, option: string): string {
  postgresIdentifier(value, option, 'database user name');
  const { reserved, reservedPrefixes } = AWS_LIMITS.masterUsername;
  const lower = value.toLowerCase();
  if (reserved.some((r) => r === lower) || reservedPrefixes.some((p) => lower.startsWith(p))) {
    throw new UsageError(`${option} "${value}" is reserved by RDS or PostgreSQL (rds_*, pg_*, rdsadmin…); choose another.`);
  }
  return value;
}

/**
 * A database user `user add` creates or `user remove` drops: lowercase, so the name means the
 * same quoted or not (PostgreSQL folds unquoted names to lowercase, IAM tokens keep the case),
 * and none that RDS, PostgreSQL or the stack keeps for itself (`postgres` included: it is the
 * usual master user, and RDS's own tools expect it).
 */
export function newDatabaseUser(value: string, option: string): string {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(value)) {
    throw new UsageError(
      `${option} "${value}" is not a database user name rdsproxy-setup makes: use 1-63 lowercase letters, digits or underscores, starting with a letter (no name that needs quoting).`,
    );
  }
  databaseUser(value, option);
  if (value === 'postgres') throw new UsageError(`${option} "postgres" is reserved (the usual master user); choose another name.`);
  return value;
}

/** The cluster's master user: a database user within CreateDBCluster's shorter limit. */
export function masterUser(value: string, option: string): string {
  databaseUser(value, option);
  const limit = AWS_LIMITS.masterUsername;
  if (nameProblem(value, limit) !== undefined) {
    throw new UsageError(`${option} "${value}" is not a valid master user name: ${limit.rule}.`);
  }
  return value;
}

export function databaseName(value: string, option: string): string {
  postgresIdentifier(value, option, 'database name');
  const lower = value.toLowerCase();
  if (AWS_LIMITS.databaseName.reserved.some((r) => r === lower)) {
    throw new UsageError(`${option} "${value}" is reserved by RDS or PostgreSQL; choose another database name.`);
  }
  return value;
}

/** An existing proxy's name (doctor and connect take any proxy, whoever made it). */
export function proxyName(value: string, option: string): string {
  const problem = nameProblem(value, AWS_LIMITS.dbProxyName);
  if (problem !== undefined) throw new UsageError(`${option} "${value}" is not a valid proxy name: ${problem}.`);
  return value;
}

/** A Lambda function's name or ARN. */
export function lambdaFunction(value: string, option: string): string {
  const problem = nameProblem(value, AWS_LIMITS.lambdaFunctionName);
  if (problem !== undefined) throw new UsageError(`${option} "${value}" is not a valid function: ${problem}.`);
  return value;
}

/** An existing DB subnet group's name ("default" included: it exists in every account with a default VPC). */
export function dbSubnetGroupName(value: string, option: string): string {
  const limit = AWS_LIMITS.dbSubnetGroupName;
  if (!limit.pattern.test(value)) {
    throw new UsageError(`${option} "${value}" is not a valid DB subnet group name: ${limit.rule}.`);
  }
  return value;
}

/**
 * Refuses a stack whose derived names AWS would refuse. The stack name itself is always valid
 * syntax; what AWS refuses is a name made from it: EC2 takes no group name starting "sg-", so
 * `--name sg-orders` (security groups sg-orders-proxy-sg, sg-orders-cluster-sg) is refused here,
 * before any AWS call, instead of at the security group step after the subnet group exists.
 */
export function stackDerivedNames(names: StackNames, option = '--name'): StackNames {
  for (const { what, name, limit } of constrainedNames(names)) {
    const problem = nameProblem(name, limit);
    if (problem !== undefined) {
      throw new UsageError(`${option} "${names.stack}" would name the ${what} "${name}", which AWS refuses: ${problem}.`);
    }
  }
  return names;
}

/** Aurora PostgreSQL versions look like 16.6 or 15.10. */
export function engineVersion(value: string, option: string): string {
  if (!/^\d{2}\.\d{1,2}$/.test(value)) {
    throw new UsageError(`${option} "${value}" is not an Aurora PostgreSQL version such as 16.6.`);
  }
  return value;
}

/**
 * A Lambda function that grant may change: its name or ARN without a version or alias (a
 * configuration change applies to the function itself, $LATEST).
 */
export function unqualifiedLambdaFunction(value: string, option: string): string {
  lambdaFunction(value, option);
  const name = value.replace(/^(?:arn:[^:]+:lambda:[^:]+:)?\d{12}:function:/, '');
  if (name.includes(':')) {
    throw new UsageError(`${option} "${value}" names a version or alias: give the function itself (its name or unqualified ARN).`);
  }
  return value;
}

/** An IAM role's name or ARN (grant --role). */
export function iamRole(value: string, option: string): string {
  const limit = value.startsWith('arn:') ? AWS_LIMITS.iamRoleArn : AWS_LIMITS.iamRoleName;
  const problem = nameProblem(value, limit);
  if (problem !== undefined) throw new UsageError(`${option} "${value}" is not a valid IAM role: ${problem}.`);
  return value;
}
