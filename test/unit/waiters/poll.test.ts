import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_WAIT_TIMING } from '../../../src/config/timing.js';
import { CliError, InterruptedError } from '../../../src/errors.js';
import { backoff } from '../../../src/waiters/backoff.js';
import { poll, type PollVerdict } from '../../../src/waiters/poll.js';
import { WaitFailedError } from '../../../src/waiters/wait-failed-error.js';
import { settle } from '../support/fake-clock.js';

const TIMING = { timeoutMs: 60_000, minDelayMs: 1_000, maxDelayMs: 4_000 };

/** A check that answers the given verdicts in order, repeating the last one. */
function scripted<T>(...verdicts: PollVerdict<T>[]) {
  let i = 0;
  return vi.fn(async () => verdicts[Math.min(i++, verdicts.length - 1)]!);
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('poll', () => {
  it('keeps looking while pending and returns the value once the target state is reached', async () => {
    const check = scripted<string>(
      { state: 'pending', status: 'creating' },
      { state: 'pending', status: 'creating' },
      { state: 'target', status: 'available', value: 'prx-1' },
    );

    const { value, error } = await settle(poll({ ...TIMING, what: 'RDS proxy demo-proxy', check }));

    expect(error).toBeUndefined();
    expect(value).toBe('prx-1');
    expect(check).toHaveBeenCalledTimes(3);
  });

  it('returns at once without sleeping when the first look is already the target', async () => {
    const check = scripted({ state: 'target', status: 'available', value: 42 });

    await expect(poll({ ...TIMING, what: 'RDS proxy demo-proxy', check })).resolves.toBe(42);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('throws at once on a failed verdict with the status, the explanation, the hint and the failure as data', async () => {
    const failure = { resource: { kind: 'proxy' as const, id: 'demo-proxy' }, status: 'incompatible-network' };
    const check = scripted<string>(
      { state: 'pending', status: 'creating' },
      { state: 'failed', status: 'incompatible-network', explanation: 'the subnets are gone', hint: 'Recreate the subnets.', failure },
      { state: 'target', status: 'available', value: 'never reached' },
    );

    const { error } = await settle(poll({ ...TIMING, random: () => 1, what: 'RDS proxy demo-proxy', check }));

    expect(error).toBeInstanceOf(WaitFailedError);
    const failed = error as WaitFailedError;
    expect(failed.message).toBe('RDS proxy demo-proxy is incompatible-network after 1s: the subnets are gone');
    expect(failed.hint).toBe('Recreate the subnets.');
    expect(failed.code).toBe('WaitFailed');
    expect(failed.failure).toEqual(failure);
    expect(check).toHaveBeenCalledTimes(2);
  });

  it('times out naming the resource, the elapsed time and the last status', async () => {
    const check = scripted<string>({ state: 'pending', status: 'modifying' });

    const { error } = await settle(
      poll({ timeoutMs: 90_000, minDelayMs: 5_000, maxDelayMs: 10_000, what: 'Aurora cluster demo-cluster', check }),
    );

    expect(error).toBeInstanceOf(CliError);
    const message = (error as CliError).message;
    expect(message).toMatch(/^Timed out after 1m30s waiting for Aurora cluster demo-cluster/);
    expect(message).toContain('modifying');
  });

  it('never sleeps past the timeout: the last look happens exactly at the deadline', async () => {
    const lookedAt: number[] = [];
    const started = Date.now();
    const check = vi.fn(async (): Promise<PollVerdict<string>> => {
      lookedAt.push(Date.now() - started);
      return { state: 'pending', status: 'creating' };
    });

    await settle(poll({ timeoutMs: 10_000, minDelayMs: 4_000, maxDelayMs: 4_000, random: () => 1, what: 'x', check }));

    expect(lookedAt).toEqual([0, 4_000, 8_000, 10_000]);
  });

  it('tells onPending each status seen while pending, with the elapsed time', async () => {
    const check = scripted<string>(
      { state: 'pending', status: 'creating' },
      { state: 'pending', status: 'modifying' },
      { state: 'target', status: 'available', value: 'done' },
    );
    const seen: [string, number][] = [];

    await settle(
      poll({
        ...TIMING,
        random: () => 1,
        what: 'RDS proxy demo-proxy',
        check,
        onPending: (status, elapsedMs) => seen.push([status, elapsedMs]),
      }),
    );

    expect(seen).toEqual([
      ['creating', 0],
      ['modifying', 1_000],
    ]);
  });

  it('rejects with InterruptedError promptly when the signal aborts mid-sleep', async () => {
    const controller = new AbortController();
    const check = scripted<string>({ state: 'pending', status: 'creating' });
    const outcome = poll({
      timeoutMs: 60 * 60_000,
      minDelayMs: 30_000,
      maxDelayMs: 30_000,
      what: 'RDS proxy demo-proxy',
      check,
      signal: controller.signal,
    }).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(100);
    expect(check).toHaveBeenCalledTimes(1);

    controller.abort();
    // No timer is advanced: the rejection must not wait for the 30 s sleep to end.
    const error = await outcome;

    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).exitCode).toBe(130);
    expect(check).toHaveBeenCalledTimes(1);
  });

  it('rejects with InterruptedError without sleeping when the signal was already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const check = scripted<string>({ state: 'pending', status: 'creating' });

    await expect(poll({ ...TIMING, what: 'x', check, signal: controller.signal })).rejects.toBeInstanceOf(
      InterruptedError,
    );
  });

  it('waits between looks starting at minDelayMs and growing to at most maxDelayMs', async () => {
    const lookedAt: number[] = [];
    const started = Date.now();
    const check = vi.fn(async (): Promise<PollVerdict<string>> => {
      lookedAt.push(Date.now() - started);
      return lookedAt.length < 7 ? { state: 'pending', status: 'creating' } : { state: 'target', status: 'ok', value: 'v' };
    });

    await settle(poll({ ...TIMING, random: () => 1, what: 'x', check }));

    const gaps = lookedAt.slice(1).map((t, i) => t - lookedAt[i]!);
    expect(gaps[0]).toBe(TIMING.minDelayMs);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1]!);
    expect(Math.max(...gaps)).toBe(TIMING.maxDelayMs);
  });

  it('with DEFAULT_WAIT_TIMING looks again within a few seconds, never after 30 s', async () => {
    const lookedAt: number[] = [];
    const started = Date.now();
    const check = vi.fn(async (): Promise<PollVerdict<string>> => {
      lookedAt.push(Date.now() - started);
      return lookedAt.length < 4 ? { state: 'pending', status: 'creating' } : { state: 'target', status: 'ok', value: 'v' };
    });

    await settle(poll({ ...DEFAULT_WAIT_TIMING, random: () => 1, what: 'x', check }));

    const gaps = lookedAt.slice(1).map((t, i) => t - lookedAt[i]!);
    expect(gaps).toHaveLength(3);
    for (const gap of gaps) expect(gap).toBeLessThanOrEqual(5_000);
    expect(Math.max(...gaps)).toBeLessThan(30_000);
  });
});

describe('backoff', () => {
  it('draws each delay between half and all of its current value', () => {
    const low = backoff(TIMING, () => 0);
    const high = backoff(TIMING, () => 1);

    expect(low()).toBe(500);
    expect(high()).toBe(1_000);
  });

  it('grows by half each time and stops at maxDelayMs', () => {
    const next = backoff(TIMING, () => 1);

    expect([next(), next(), next(), next(), next(), next()]).toEqual([1_000, 1_500, 2_250, 3_375, 4_000, 4_000]);
  });

  it('jitters parallel waits apart while staying within bounds', () => {
    const draws = [0, 0.25, 0.5, 0.75, 1];
    let i = 0;
    const next = backoff({ timeoutMs: 1, minDelayMs: 2_000, maxDelayMs: 2_000 }, () => draws[i++]!);

    const delays = draws.map(() => next());

    expect(new Set(delays).size).toBe(draws.length);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(1_000);
      expect(d).toBeLessThanOrEqual(2_000);
    }
  });

  it('with DEFAULT_WAIT_TIMING starts at no more than a few seconds', () => {
    const next = backoff(DEFAULT_WAIT_TIMING, () => 1);

    expect(next()).toBeLessThanOrEqual(2_000);
    expect(next()).toBeLessThanOrEqual(3_000);
  });
});
