import { CliError } from '../errors.js';
import { backoff } from './backoff.js';
import { sleep } from './sleep.js';

/** What one look at a resource says about the wait. */
export type PollVerdict<T> =
  | { state: 'pending'; status: string; value?: T }
  | { state: 'target'; status: string; value: T }
  | { state: 'failed'; status: string; reason: string; hint?: string };

export interface PollTiming {
  /** Give up after this long. */
  timeoutMs: number;
  /** First delay between looks; grows by half each time up to maxDelayMs. */
  minDelayMs: number;
  maxDelayMs: number;
}

export interface PollOptions<T> extends PollTiming {
  /** Names the resource in progress and errors, e.g. "RDS proxy orders-dev-proxy". */
  what: string;
  /** One look: reads the resource and says pending, target or failed. */
  check: () => Promise<PollVerdict<T>>;
  signal?: AbortSignal;
  /** Told each status seen while pending, with the elapsed time. */
  onPending?: (status: string, elapsedMs: number) => void;
  /** Injected in tests; Math.random otherwise. */
  random?: () => number;
}

/** Defaults: seconds apart, never the SDK waiters' 30 s+ minimum. */
export const DEFAULT_POLL_TIMING: PollTiming = { timeoutMs: 30 * 60_000, minDelayMs: 2_000, maxDelayMs: 10_000 };

export function formatElapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/**
 * The one polling primitive every waiter is built on. Looks at once, then with growing,
 * jittered delays; returns the value on target, throws on a failed state, on timeout, or with
 * InterruptedError when the signal aborts.
 */
export async function poll<T>(options: PollOptions<T>): Promise<T> {
  const nextDelay = backoff(options, options.random);
  const started = Date.now();
  let lastStatus = 'unknown';
  for (;;) {
    const verdict = await options.check();
    const elapsed = Date.now() - started;
    if (verdict.state === 'target') return verdict.value;
    if (verdict.state === 'failed') {
      throw new CliError(`${options.what} is ${verdict.status} after ${formatElapsed(elapsed)}: ${verdict.reason}`, {
        hint: verdict.hint,
        code: 'WaitFailed',
      });
    }
    lastStatus = verdict.status;
    options.onPending?.(lastStatus, elapsed);
    if (elapsed >= options.timeoutMs) {
      throw new CliError(
        `Timed out after ${formatElapsed(elapsed)} waiting for ${options.what} (last status: ${lastStatus}).`,
        { code: 'WaitTimeout', hint: 'Run the same command again to keep waiting: it resumes where it stopped.' },
      );
    }
    await sleep(Math.min(nextDelay(), options.timeoutMs - elapsed), options.signal);
  }
}
