import { backoff } from './backoff.js';
import { sleep } from './sleep.js';
import type { PollTiming } from '../config/timing.js';

export interface RetryOptions extends PollTiming {
  /** True for the known transient answers this call may give. */
  isTransient: (err: unknown) => boolean;
  signal?: AbortSignal;
  /** Told about each transient failure before the next try. */
  onRetry?: (err: unknown, attempt: number) => void;
  random?: () => number;
}

/**
 * Repeats a call while it fails with a known transient error (a new IAM role not yet usable,
 * an instance still creating, a security group still in use), within a time bound.
 */
export async function retryTransient<T>(call: () => Promise<T>, options: RetryOptions): Promise<T> {
  const nextDelay = backoff(options, options.random);
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const elapsed = Date.now() - started;
      if (!options.isTransient(err) || elapsed >= options.timeoutMs) throw err;
      options.onRetry?.(err, attempt);
      await sleep(Math.min(nextDelay(), options.timeoutMs - elapsed), options.signal);
    }
  }
}
