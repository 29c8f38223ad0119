import { UsageError } from '../errors.js';
import { AWS_LIMITS } from './aws-limits.js';
import { UP_DEFAULTS } from './defaults.js';
import * as rule from './rules.js';

/** `up`'s own options as commander hands them over (strings, before validation). */
export interface RawUpOptions {
  dryRun?: boolean;
  rollback?: boolean;
  vpcId?: string;
  subnetIds?: string;
  dbSubnetGroup?: string;
  clientSg?: string;
  clientCidr?: string;
  engineVersion?: string;
  minAcu?: string;
  maxAcu?: string;
  dbName?: string;
  masterUser?: string;
  borrowTimeout?: string;
  maxConnectionsPercent?: string;
  maxIdlePercent?: string;
  idleTimeout?: string;
  debugLogging?: boolean;
  auth?: string;
  dataApi?: boolean;
}

/** How the proxy logs in to the database: with the users' secrets, or with IAM end to end. */
export const AUTH_MODES = ['secrets', 'iam'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** Everything `up` builds from, validated. */
export interface StackSettings {
  dryRun: boolean;
  rollback: boolean;
  vpcId?: string;
  subnetIds?: string[];
  dbSubnetGroup?: string;
  clientSecurityGroup?: string;
  clientCidr?: string;
  engineVersion: string;
  minAcu: number;
  maxAcu: number;
  dbName: string;
  masterUser: string;
  pool: { borrowTimeoutSeconds: number; maxConnectionsPercent: number; maxIdleConnectionsPercent: number };
  idleClientTimeoutSeconds: number;
  debugLogging: boolean;
  /** --auth; undefined keeps what the proxy has (secrets for a new one). */
  auth?: AuthMode;
  /** --data-api: the cluster's HTTP endpoint on (never turned off by `up`). */
  dataApi: boolean;
}

function authMode(value: string, option: string): AuthMode {
  const mode = AUTH_MODES.find((m) => m === value);
  if (!mode) throw new UsageError(`${option} "${value}" is not an auth mode: use ${AUTH_MODES.join(' or ')}.`);
  return mode;
}

export function upConfig(raw: RawUpOptions): StackSettings {
  if (raw.clientSg && raw.clientCidr) {
    throw new UsageError('--client-sg and --client-cidr are alternatives: give one (or neither for the VPC CIDR).');
  }
  if (raw.dbSubnetGroup && raw.subnetIds) {
    throw new UsageError('--db-subnet-group already fixes the subnets: do not also give --subnet-ids.');
  }
  const acu = rule.acuRange(raw.minAcu ?? String(UP_DEFAULTS.minAcu), raw.maxAcu ?? String(UP_DEFAULTS.maxAcu));
  const maxConnectionsPercent = rule.integerWithin(
    raw.maxConnectionsPercent ?? String(UP_DEFAULTS.maxConnectionsPercent),
    '--max-connections-percent',
    AWS_LIMITS.maxConnectionsPercent,
    ' (percent)',
  );
  const maxIdleConnectionsPercent = rule.integerWithin(
    // Like AWS: without a value, idle connections default to half of the pool.
    raw.maxIdlePercent ?? String(Math.floor(maxConnectionsPercent / 2)),
    '--max-idle-percent',
    AWS_LIMITS.maxIdleConnectionsPercent,
    ' (percent)',
  );
  if (maxIdleConnectionsPercent > maxConnectionsPercent) {
    throw new UsageError(
      `--max-idle-percent (${maxIdleConnectionsPercent}) must not exceed --max-connections-percent (${maxConnectionsPercent}).`,
    );
  }
  return {
    dryRun: raw.dryRun ?? false,
    rollback: raw.rollback ?? true,
    vpcId: raw.vpcId === undefined ? undefined : rule.vpcId(raw.vpcId, '--vpc-id'),
    subnetIds: raw.subnetIds === undefined ? undefined : rule.subnetIds(raw.subnetIds, '--subnet-ids'),
    dbSubnetGroup: raw.dbSubnetGroup === undefined ? undefined : rule.dbSubnetGroupName(raw.dbSubnetGroup, '--db-subnet-group'),
    clientSecurityGroup: raw.clientSg === undefined ? undefined : rule.securityGroupId(raw.clientSg, '--client-sg'),
    clientCidr: raw.clientCidr === undefined ? undefined : rule.ipv4Cidr(raw.clientCidr, '--client-cidr'),
    engineVersion: rule.engineVersion(raw.engineVersion ?? UP_DEFAULTS.engineVersion, '--engine-version'),
    minAcu: acu.min,
    maxAcu: acu.max,
    dbName: rule.databaseName(raw.dbName ?? UP_DEFAULTS.dbName, '--db-name'),
    masterUser: rule.masterUser(raw.masterUser ?? UP_DEFAULTS.masterUser, '--master-user'),
    pool: {
      borrowTimeoutSeconds: rule.integerWithin(
        raw.borrowTimeout ?? String(UP_DEFAULTS.borrowTimeoutSeconds),
        '--borrow-timeout',
        AWS_LIMITS.connectionBorrowTimeout,
        ' seconds',
      ),
      maxConnectionsPercent,
      maxIdleConnectionsPercent,
    },
    idleClientTimeoutSeconds: rule.integerWithin(
      raw.idleTimeout ?? String(UP_DEFAULTS.idleClientTimeoutSeconds),
      '--idle-timeout',
      AWS_LIMITS.idleClientTimeout,
      ' seconds',
    ),
    debugLogging: raw.debugLogging ?? UP_DEFAULTS.debugLogging,
    auth: raw.auth === undefined ? undefined : authMode(raw.auth, '--auth'),
    dataApi: raw.dataApi ?? false,
  };
}
