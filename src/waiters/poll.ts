import { formatElapsed, type PollTiming } from '../config/timing.js';
import { CliError } from '../errors.js';
import { backoff } from './backoff.js';
import { expectedCompletionSchedule } from './poll-schedule.js';
import { sleep } from './sleep.js';
import { WaitFailedError, type WaitFailure } from './wait-failed-error.js';

/** A look that found a state waiting will not fix. */
export interface FailedVerdict {
  state: 'failed';
  /** Shown in the message: "RDS proxy p is <status> after 1m: <explanation>". */
  status: string;
  explanation: string;
  hint?: string;
  failure: WaitFailure;
}

/** What one look at a resource says about the wait. */
export type PollVerdict<T> =
  | { state: 'pending'; status: string; value?: T }
  | { state: 'target'; status: string; value: T }
  | FailedVerdict;

export interface PollOptions<T> extends PollTiming {
  /** Names the resource in progress and errors, e.g. "RDS proxy orders-dev-proxy". */
  what: string;
  /** One look: reads the resource and says pending, target or failed. */
  check: () => Promise<PollVerdict<T>>;
  signal?: AbortSignal;
  /** Told each status seen while pending, with the elapsed time. */
  onPending?: (status: string, elapsedMs: number) => void;
  /** When the resource usually gets there (AWS's figures): polls cluster around it. */
  expectedMs?: number;
  /** Injected in tests; Math.random otherwise. */
  random?: () => number;
}

/**
 * The one polling primitive every waiter is built on. Looks at once, then with jittered delays:
 * planned around the expected completion when there is one, growing otherwise. Returns the value
 * on target, throws WaitFailedError on a failed state, a CliError on timeout, or InterruptedError
 * when the signal aborts.
 */
export async function poll<T>(options: PollOptions<T>): Promise<T> {
  const nextDelay =
    options.expectedMs === undefined
      ? backoff(options, options.random)
      : expectedCompletionSchedule(options, options.expectedMs, options.random);
  const started = Date.now();
  let lastStatus = 'unknown';
  for (;;) {
    const verdict = await options.check();
    const elapsed = Date.now() - started;
    if (verdict.state === 'target') return verdict.value;
    if (verdict.state === 'failed') {
      throw new WaitFailedError(
        `${options.what} is ${verdict.status} after ${formatElapsed(elapsed)}: ${verdict.explanation}`,
        verdict.failure,
        verdict.hint,
      );
    }
    lastStatus = verdict.status;
    options.onPending?.(lastStatus, elapsed);
    if (elapsed >= options.timeoutMs) {
      throw new CliError(
        `Timed out after ${formatElapsed(elapsed)} waiting for ${options.what} (last status: ${lastStatus}).`,
        { code: 'WaitTimeout', hint: 'Run the same command again to keep waiting: it resumes where it stopped.' },
      );
    }
    await sleep(Math.min(nextDelay(elapsed), options.timeoutMs - elapsed), options.signal);
  }
}
