/** How long waits and retries may take, and how elapsed time is shown. Tests shrink the timings. */

export interface PollTiming {
  /** Give up after this long. */
  timeoutMs: number;
  /** First delay between looks; grows by half each time up to maxDelayMs. */
  minDelayMs: number;
  maxDelayMs: number;
}

/**
 * How long AWS takes, in seconds, by the figures this project models: AWS's published words where
 * there are any, logs of well-used tools where not. Each source is cited in
 * sandbox/additions/timing.py, whose timing mode uses this same table (a test keeps them equal).
 */
export const AWS_SECONDS = {
  'cluster-create': 60,
  'instance-create': 360,
  'proxy-create': 180,
  'target-register': 120,
  'instance-delete': 720,
  'cluster-delete': 60,
  'proxy-delete': 180,
  'role-propagation': 10,
} as const;

/**
 * Waits for a resource to become usable or to be gone: seconds apart, never the SDK waiters'
 * 30 s+ minimum, for up to 30 minutes (an Aurora cluster or a proxy takes minutes).
 */
export const DEFAULT_WAIT_TIMING: PollTiming = { timeoutMs: 30 * 60_000, minDelayMs: 2_000, maxDelayMs: 10_000 };

/**
 * Known transient errors (a new role not yet usable, an instance still creating, a security
 * group held by a deleted proxy's network interfaces) are retried for up to 15 minutes.
 */
export const DEFAULT_RETRY_TIMING: PollTiming = { timeoutMs: 15 * 60_000, minDelayMs: 2_000, maxDelayMs: 15_000 };

/** The timings a run of the stack's steps uses. */
export const STEP_TIMING = { wait: DEFAULT_WAIT_TIMING, retry: DEFAULT_RETRY_TIMING } as const;

/** "42s", "3m07s". */
export function formatElapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
