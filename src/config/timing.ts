import { UsageError } from '../errors.js';

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

/** What a wait waits for. */
export type WaitedResource = 'cluster' | 'instance' | 'proxy' | 'proxy-target' | 'function';

/** When a wait expects its resource to be ready, and to be gone after a delete. */
export interface ExpectedDuration {
  readyMs: number;
  goneMs?: number;
}

export type ExpectedDurations = Partial<Record<WaitedResource, ExpectedDuration>>;

/** Waits know when AWS usually finishes, so they poll sparsely early and often near the end. */
export interface WaitTiming extends PollTiming {
  expected?: ExpectedDurations;
}

/** AWS_SECONDS as each wait's expectation, multiplied by `scale`. */
export function expectedDurations(scale = 1): ExpectedDurations {
  const ms = (name: keyof typeof AWS_SECONDS) => AWS_SECONDS[name] * 1000 * scale;
  return {
    cluster: { readyMs: ms('cluster-create'), goneMs: ms('cluster-delete') },
    instance: { readyMs: ms('instance-create'), goneMs: ms('instance-delete') },
    proxy: { readyMs: ms('proxy-create'), goneMs: ms('proxy-delete') },
    'proxy-target': { readyMs: ms('target-register') },
  };
}

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

/**
 * RDS refuses a change while the cluster is busy with another one (InvalidDBClusterStateFault:
 * creating, modifying, a backup). Such a refusal is retried for up to 10 minutes: long enough for
 * a cluster to finish what it does, shorter than a wait, so that a refusal waiting cannot cure
 * ends the run in reasonable time with AWS's own message.
 */
export const DEFAULT_BUSY_TIMING: PollTiming = { timeoutMs: 10 * 60_000, minDelayMs: 2_000, maxDelayMs: 15_000 };

/**
 * Every AWS call is bounded. A connection must be made within 3 s (a TCP handshake to AWS takes
 * milliseconds; seconds mean a black hole or a dead proxy), and the answer must start within 6 s
 * of sending (AWS answers API calls in well under a second; the slow ones, such as an Aurora
 * create or a log search, in a few). The SDK retries a call that timed out, so one call that never
 * gets an answer ends after at most MAX_ATTEMPTS × answerMs plus the SDK's backoff (50 ms doubling,
 * at most 1.55 s over five retries): under 38 s, well under a minute.
 */
export interface AwsCallTiming {
  connectMs: number;
  answerMs: number;
  /** The SDK's standard retry mode retries throttling, 5xx and timeouts with backoff and jitter. */
  maxAttempts: number;
}

export const AWS_CALL_TIMING: AwsCallTiming = { connectMs: 3_000, answerMs: 6_000, maxAttempts: 6 };

/** How long past the function's own timeout an Invoke may take to answer: Lambda's reply itself. */
const INVOKE_ANSWER_MARGIN_MS = 5_000;

/**
 * A synchronous Invoke answers only when the function is done, so it may wait out the function's
 * timeout: Lambda's guide says to give the client a longer read timeout than the function's
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-sync.html). It is sent once: an
 * attempt that got no answer may have run the query, and a retry would run it again.
 */
export function invokeCallTiming(functionTimeoutSeconds: number, base: AwsCallTiming = AWS_CALL_TIMING): AwsCallTiming {
  return {
    connectMs: base.connectMs,
    answerMs: Math.max(base.answerMs, functionTimeoutSeconds * 1000 + INVOKE_ANSWER_MARGIN_MS),
    maxAttempts: 1,
  };
}

/**
 * After a Ctrl-C, a call already sent gets 3 s to answer: an answer tells the rollback what was
 * created (AWS answers in well under a second). One still unanswered then is abandoned, so that a
 * call that hangs never holds the rollback up.
 */
export const INTERRUPT_GRACE_MS = 3_000;

/** The SDK's backoff before retry n (from 1) of a call that timed out is at most 50 ms × 2^(n-1). */
const SDK_TRANSIENT_BACKOFF_BASE_MS = 50;

/** The longest one AWS call may take when no attempt ever gets an answer. */
export function awsCallBoundMs(timing: AwsCallTiming = AWS_CALL_TIMING): number {
  let backoff = 0;
  for (let retry = 1; retry < timing.maxAttempts; retry++) backoff += SDK_TRANSIENT_BACKOFF_BASE_MS * 2 ** (retry - 1);
  return timing.maxAttempts * timing.answerMs + backoff;
}

/**
 * RDSPROXY_EXPECTED_DURATION_SCALE multiplies the durations waits expect (default 1), for an
 * AWS-compatible endpoint that is faster than AWS, such as the sandbox's timing mode
 * (SANDBOX_TIMING) in `npm run bench:up`. Timeouts and delays between looks do not change.
 */
export const EXPECTED_DURATION_SCALE_ENV = 'RDSPROXY_EXPECTED_DURATION_SCALE';

function expectedDurationScale(env: NodeJS.ProcessEnv): number {
  const raw = env[EXPECTED_DURATION_SCALE_ENV];
  if (raw === undefined || raw.trim() === '') return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new UsageError(
      `${EXPECTED_DURATION_SCALE_ENV} must be a positive number, got "${raw}".`,
      'Unset it to plan waits around the durations of AWS itself, or give e.g. 0.05 for an endpoint 20 times faster.',
    );
  }
  return scale;
}

/** The timings a run of the stack's steps uses. */
export function stepTiming(env: NodeJS.ProcessEnv = process.env): { wait: WaitTiming; retry: PollTiming; busy: PollTiming } {
  return {
    wait: { ...DEFAULT_WAIT_TIMING, expected: expectedDurations(expectedDurationScale(env)) },
    retry: DEFAULT_RETRY_TIMING,
    busy: DEFAULT_BUSY_TIMING,
  };
}

/** "42s", "3m07s". */
export function formatElapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
