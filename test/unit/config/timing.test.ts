import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { DEFAULT_WAIT_TIMING, formatElapsed, stepTiming } from '../../../src/config/timing.js';

describe('formatElapsed', () => {
  it.each([
    [0, '0s'],
    [1_499, '1s'],
    [59_000, '59s'],
    [60_000, '1m00s'],
    [187_000, '3m07s'],
    [3_600_000, '60m00s'],
  ])('shows %i ms as %s', (ms, shown) => {
    expect(formatElapsed(ms)).toBe(shown);
  });
});

describe('stepTiming', () => {
  it("expects each wait to take AWS's time when RDSPROXY_EXPECTED_DURATION_SCALE is not set", () => {
    const { wait } = stepTiming({});

    expect(wait.expected).toEqual({
      cluster: { readyMs: 60_000, goneMs: 60_000 },
      instance: { readyMs: 360_000, goneMs: 720_000 },
      proxy: { readyMs: 180_000, goneMs: 180_000 },
      'proxy-target': { readyMs: 120_000 },
    });
  });

  it('multiplies the expected durations by RDSPROXY_EXPECTED_DURATION_SCALE, and nothing else', () => {
    const { wait, retry } = stepTiming({ RDSPROXY_EXPECTED_DURATION_SCALE: '0.05' });

    expect(wait.expected?.instance).toEqual({ readyMs: 18_000, goneMs: 36_000 });
    expect(wait.expected?.['proxy-target']).toEqual({ readyMs: 6_000 });
    expect({ ...wait, expected: undefined }).toEqual({ ...DEFAULT_WAIT_TIMING, expected: undefined });
    expect(retry).toEqual(stepTiming({}).retry);
  });

  it('retries a change refused while the cluster is busy for less time than a wait, whatever the scale', () => {
    for (const env of [{}, { RDSPROXY_EXPECTED_DURATION_SCALE: '0.05' }]) {
      const { wait, busy } = stepTiming(env);

      expect(busy.timeoutMs).toBeGreaterThan(0);
      expect(busy.timeoutMs).toBeLessThan(wait.timeoutMs);
    }
  });

  it.each(['0', '-1', 'fast', 'Infinity'])('refuses RDSPROXY_EXPECTED_DURATION_SCALE=%s as a usage error naming the variable', (raw) => {
    const refusal = (() => {
      try {
        stepTiming({ RDSPROXY_EXPECTED_DURATION_SCALE: raw });
      } catch (err) {
        return err;
      }
    })();

    expect(refusal).toBeInstanceOf(UsageError);
    expect((refusal as UsageError).exitCode).toBe(2);
    expect((refusal as UsageError).message).toBe(`RDSPROXY_EXPECTED_DURATION_SCALE must be a positive number, got "${raw}".`);
  });
});
