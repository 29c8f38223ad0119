/** Defaults for `up`; each can be overridden by the option named beside it. */
export const UP_DEFAULTS = {
  /** --engine-version: an Aurora PostgreSQL version with Serverless v2 and RDS Proxy support. */
  engineVersion: '16.6',
  /** --min-acu / --max-acu: Aurora capacity units. */
  minAcu: 0.5,
  maxAcu: 2,
  /** --db-name */
  dbName: 'app',
  /** --master-user */
  masterUser: 'postgres',
  /** --borrow-timeout (seconds), --max-connections-percent; --max-idle-percent defaults to half of the latter. */
  borrowTimeoutSeconds: 120,
  maxConnectionsPercent: 100,
  /** --idle-timeout (seconds) a client connection may stay idle before the proxy closes it. */
  idleClientTimeoutSeconds: 1800,
  debugLogging: false,
} as const;

export const DEFAULT_STACK = 'demo';
