import { describe, expect, it } from 'vitest';
import { formatElapsed } from '../../../src/config/timing.js';

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
