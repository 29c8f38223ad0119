import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InterruptedError } from '../../../src/errors.js';
import { retryTransient } from '../../../src/waiters/retry.js';
import { settle } from '../support/fake-clock.js';

class TransientError extends Error {
  override name = 'InvalidParameterValue';
}

const isTransient = (err: unknown) => err instanceof TransientError;
const TIMING = { timeoutMs: 60_000, minDelayMs: 1_000, maxDelayMs: 4_000 };

/** A call that fails with the given errors in order, then returns `value`. */
function failingThen<T>(errors: Error[], value: T) {
  let i = 0;
  return vi.fn(async () => {
    if (i < errors.length) throw errors[i++];
    return value;
  });
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('retryTransient', () => {
  it('retries a transient error until the call succeeds and returns its value', async () => {
    const call = failingThen([new TransientError('role not yet usable'), new TransientError('role not yet usable')], 'ok');

    const { value, error } = await settle(retryTransient(call, { ...TIMING, isTransient }));

    expect(error).toBeUndefined();
    expect(value).toBe('ok');
    expect(call).toHaveBeenCalledTimes(3);
  });

  it('throws a non-transient error at once after a single call', async () => {
    const denied = new Error('not authorized');
    const call = failingThen([denied], 'never');

    const { error } = await settle(retryTransient(call, { ...TIMING, isTransient }));

    expect(error).toBe(denied);
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('stops retrying at timeoutMs and rethrows the last error', async () => {
    let attempt = 0;
    const started = Date.now();
    const calledAt: number[] = [];
    const call = vi.fn(async () => {
      calledAt.push(Date.now() - started);
      throw new TransientError(`still creating (attempt ${++attempt})`);
    });

    const { error } = await settle(
      retryTransient(call, { timeoutMs: 10_000, minDelayMs: 3_000, maxDelayMs: 3_000, random: () => 1, isTransient }),
    );

    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toBe(`still creating (attempt ${attempt})`);
    expect(calledAt).toEqual([0, 3_000, 6_000, 9_000, 10_000]);
  });

  it('tells onRetry about each transient failure with its attempt number', async () => {
    const first = new TransientError('first');
    const second = new TransientError('second');
    const call = failingThen([first, second], 'ok');
    const onRetry = vi.fn();

    await settle(retryTransient(call, { ...TIMING, isTransient, onRetry }));

    expect(onRetry.mock.calls).toEqual([
      [first, 1],
      [second, 2],
    ]);
  });

  it('does not call onRetry for an error it will not retry', async () => {
    const onRetry = vi.fn();

    await settle(retryTransient(failingThen([new Error('fatal')], 'never'), { ...TIMING, isTransient, onRetry }));

    expect(onRetry).not.toHaveBeenCalled();
  });

  it('rejects with InterruptedError promptly when the signal aborts while waiting to retry', async () => {
    const controller = new AbortController();
    const call = vi.fn(async () => {
      throw new TransientError('still creating');
    });
    const outcome = retryTransient(call, {
      timeoutMs: 60 * 60_000,
      minDelayMs: 30_000,
      maxDelayMs: 30_000,
      isTransient,
      signal: controller.signal,
    }).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(100);

    controller.abort();
    const error = await outcome;

    expect(error).toBeInstanceOf(InterruptedError);
    expect(call).toHaveBeenCalledTimes(1);
  });
});
