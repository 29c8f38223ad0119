import { DEFAULT_POLL_TIMING } from '../waiters/poll.js';

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

/**
 * Waits poll seconds apart for up to 30 minutes (an Aurora cluster or a proxy takes minutes);
 * known transient errors (a new role not yet usable, an instance still creating, a security
 * group held by a deleted proxy's network interfaces) are retried for up to 15 minutes.
 */
export const STEP_TIMING = {
  wait: DEFAULT_POLL_TIMING,
  retry: { timeoutMs: 15 * 60_000, minDelayMs: 2_000, maxDelayMs: 15_000 },
} as const;
