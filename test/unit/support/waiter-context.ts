import { vi } from 'vitest';
import type { BuildContext, StepTiming } from '../../../src/steps/step.js';
import { DEFAULT_POLL_TIMING } from '../../../src/waiters/poll.js';
import { FAST_TIMING, stepContext } from './step-context.js';

/** The real wait timing (seconds apart), with a shorter timeout when a test gives one. */
export function realWaitTiming(timeoutMs = DEFAULT_POLL_TIMING.timeoutMs): StepTiming {
  return { ...FAST_TIMING, wait: { ...DEFAULT_POLL_TIMING, timeoutMs } };
}

/**
 * For a waiter test's beforeEach: empties the client mock, starts the fake clock, and gives a
 * context with the real wait timing whose progress lines are collected.
 */
export async function waiterContext(mock: { reset(): void }): Promise<{ ctx: BuildContext; progress: string[] }> {
  mock.reset();
  vi.useFakeTimers();
  const progress: string[] = [];
  const ctx = stepContext({ progress: (line) => progress.push(line) });
  ctx.timing = realWaitTiming();
  // The RDS client is created before the clock matters, as in a run.
  await ctx.clients.rds();
  return { ctx, progress };
}
