import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AWS_SECONDS, DEFAULT_WAIT_TIMING } from '../../../src/config/timing.js';
import { expectedCompletionSchedule, nearWindow } from '../../../src/waiters/poll-schedule.js';
import { poll, type PollVerdict } from '../../../src/waiters/poll.js';
import { settle } from '../support/fake-clock.js';

/** The wait durations AWS's figures give (ms), and short ones as a scaled sandbox gives them. */
const EXPECTED_MS = [
  ...Object.values(AWS_SECONDS).map((s) => s * 1000),
  ...[60, 120, 180, 360, 720].map((s) => s * 1000 * 0.05),
];

/** A repeatable stand-in for Math.random. */
function seeded(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

const RANDOMS: [string, () => () => number][] = [
  ['always the shortest jitter', () => () => 0],
  ['always the longest jitter', () => () => 1],
  ['seeded jitter', () => seeded(7)],
];

/** When each look happens (ms since the first, at 0) until `untilMs`, as the schedule plans them. */
function looks(expectedMs: number, random: () => number, untilMs: number): number[] {
  const next = expectedCompletionSchedule(DEFAULT_WAIT_TIMING, expectedMs, random);
  const at = [0];
  while (at.at(-1)! < untilMs) at.push(at.at(-1)! + next(at.at(-1)!));
  return at;
}

/** How late a wait sees a resource that became ready at `readyMs`: the first look at or after it. */
function lateness(at: number[], readyMs: number): number {
  return at.find((t) => t >= readyMs)! - readyMs;
}

describe('the schedule around an expected completion', () => {
  for (const [name, random] of RANDOMS) {
    it(`sees a resource ready anywhere near its expected time at most 2 s late (${name})`, () => {
      for (const expectedMs of EXPECTED_MS) {
        const { fromMs, untilMs } = nearWindow(expectedMs);
        const at = looks(expectedMs, random(), untilMs + 60_000);

        for (let readyMs = Math.max(fromMs, 0); readyMs <= untilMs; readyMs += 50) {
          expect(lateness(at, readyMs), `expected ${expectedMs} ms, ready at ${readyMs} ms`).toBeLessThanOrEqual(2_000);
        }
      }
    });

    it(`never polls more than 0.5 times per second on average, however long the wait (${name})`, () => {
      for (const expectedMs of EXPECTED_MS) {
        const at = looks(expectedMs, random(), 3 * expectedMs + 10 * 60_000);

        at.slice(1).forEach((t, i) => {
          const pollsAfterFirst = i + 1;
          expect(pollsAfterFirst / (t / 1000), `expected ${expectedMs} ms, look at ${t} ms`).toBeLessThanOrEqual(0.5);
        });
      }
    });
  }

  it('polls sparsely before the expected completion: on average at least 5 s apart for a writer instance', () => {
    const expectedMs = AWS_SECONDS['instance-create'] * 1000;
    const { fromMs } = nearWindow(expectedMs);

    const early = looks(expectedMs, seeded(3), fromMs).filter((t) => t < fromMs);

    expect(fromMs / (early.length - 1)).toBeGreaterThanOrEqual(5_000);
  });

  it('backs off again to the longest delay when the resource is far later than expected', () => {
    const expectedMs = 60_000;
    const { untilMs } = nearWindow(expectedMs);

    const at = looks(expectedMs, () => 1, untilMs + 5 * 60_000);
    const lateGaps = at
      .slice(1)
      .map((t, i) => [at[i]!, t - at[i]!] as const)
      .filter(([from]) => from >= untilMs)
      .map(([, gap]) => gap);

    expect(Math.max(...lateGaps)).toBe(DEFAULT_WAIT_TIMING.maxDelayMs);
  });

  it('jitters the looks near the expected completion so parallel waits do not poll in step', () => {
    const expectedMs = 180_000;
    const { fromMs, untilMs } = nearWindow(expectedMs);
    const nearGaps = (random: () => number) => {
      const at = looks(expectedMs, random, untilMs);
      return at.slice(1).map((t, i) => t - at[i]!).filter((_, i) => at[i]! >= fromMs + 20_000 && at[i]! < untilMs);
    };

    expect(new Set(nearGaps(seeded(1))).size).toBeGreaterThan(5);
    expect(nearGaps(seeded(1))).not.toEqual(nearGaps(seeded(2)));
  });
});

describe('poll with an expected completion', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('looks when the schedule says and returns once the target state is seen', async () => {
    const expectedMs = 30_000;
    const lookedAt: number[] = [];
    const started = Date.now();
    const check = vi.fn(async (): Promise<PollVerdict<string>> => {
      lookedAt.push(Date.now() - started);
      return Date.now() - started >= expectedMs ? { state: 'target', status: 'available', value: 'ok' } : { state: 'pending', status: 'creating' };
    });

    const { value } = await settle(
      poll({ ...DEFAULT_WAIT_TIMING, expectedMs, random: seeded(5), what: 'Aurora cluster demo-cluster', check }),
    );

    expect(value).toBe('ok');
    expect(lookedAt).toEqual(looks(expectedMs, seeded(5), expectedMs).slice(0, lookedAt.length));
    expect(lookedAt.at(-1)! - expectedMs).toBeLessThanOrEqual(2_000);
  });

  it('still gives up at the timeout, looking a last time at the deadline', async () => {
    const lookedAt: number[] = [];
    const started = Date.now();
    const check = vi.fn(async (): Promise<PollVerdict<string>> => {
      lookedAt.push(Date.now() - started);
      return { state: 'pending', status: 'creating' };
    });

    const { error } = await settle(
      poll({ ...DEFAULT_WAIT_TIMING, timeoutMs: 20_000, expectedMs: 360_000, random: () => 1, what: 'DB instance demo-writer', check }),
    );

    expect((error as Error).message).toMatch(/^Timed out after 20s waiting for DB instance demo-writer/);
    expect(lookedAt.at(-1)).toBe(20_000);
  });
});
