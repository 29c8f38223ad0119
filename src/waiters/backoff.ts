import type { PollTiming } from '../config/timing.js';

/**
 * Delays that start at minDelayMs and grow by half up to maxDelayMs, each drawn between half
 * and all of its value so that parallel waits do not poll in step.
 */
export function backoff(timing: PollTiming, random: () => number = Math.random): () => number {
  let delay = timing.minDelayMs;
  return () => {
    const jittered = delay / 2 + random() * (delay / 2);
    delay = Math.min(timing.maxDelayMs, delay * 1.5);
    return jittered;
  };
}
