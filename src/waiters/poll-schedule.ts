import type { PollTiming } from '../config/timing.js';
import { backoff } from './backoff.js';

/** Looks this far apart around the expected completion (jittered by a fifth either way): ≤ 1.8 s late. */
export const NEAR_GAP_MS = 1_500;
const NEAR_JITTER = 0.2;
/** Never more than one look per this many ms on average since the first look: ≤ 0.5 polls per second. */
export const MIN_AVERAGE_GAP_MS = 2_000;

/** Where looking often starts and stops, around the expected completion E. */
export function nearWindow(expectedMs: number): { fromMs: number; untilMs: number } {
  return {
    fromMs: expectedMs - Math.max(4_000, 0.15 * expectedMs),
    untilMs: expectedMs + Math.max(10_000, 0.5 * expectedMs),
  };
}

/**
 * Delays between looks for a wait that knows when its resource usually finishes: growing delays
 * (as backoff) until shortly before the expected completion, every NEAR_GAP_MS from then until
 * well after it, then growing again to maxDelayMs for a resource that is very late. Whatever the
 * phase, look n (counting from 0 at the start) is never earlier than n × MIN_AVERAGE_GAP_MS.
 * The schedule is told the elapsed time when it is asked for the next delay.
 */
export function expectedCompletionSchedule(
  timing: PollTiming,
  expectedMs: number,
  random: () => number = Math.random,
): (elapsedMs: number) => number {
  const near = nearWindow(expectedMs);
  const early = backoff(timing, random);
  const late = backoff({ ...timing, minDelayMs: Math.min(timing.maxDelayMs, 2 * NEAR_GAP_MS) }, random);
  let looks = 1;
  return (elapsedMs) => {
    let next: number;
    if (elapsedMs < near.fromMs) next = Math.min(elapsedMs + early(), near.fromMs);
    else if (elapsedMs < near.untilMs) next = elapsedMs + NEAR_GAP_MS * (1 - NEAR_JITTER + 2 * NEAR_JITTER * random());
    else next = elapsedMs + late();
    next = Math.max(next, looks * MIN_AVERAGE_GAP_MS);
    looks++;
    return Math.ceil(next - elapsedMs);
  };
}
