import { vi } from 'vitest';
import { createAwsClients } from '../../../src/aws/clients.js';
import { DEFAULT_WAIT_TIMING } from '../../../src/config/timing.js';
import type { Progress } from '../../../src/waiters/progress.js';
import type { WaitContext } from '../../../src/waiters/wait-context.js';

/** The real wait timing (seconds apart), with a shorter timeout when a test gives one. */
export function realWaitTiming(timeoutMs = DEFAULT_WAIT_TIMING.timeoutMs): WaitContext['timing'] {
  return { wait: { ...DEFAULT_WAIT_TIMING, timeoutMs } };
}

/**
 * For a waiter test's beforeEach: empties the client mock, starts the fake clock, and gives a
 * context with the real wait timing whose progress reports are collected.
 */
export async function waiterContext(mock: { reset(): void }): Promise<{ ctx: WaitContext; progress: Progress[] }> {
  mock.reset();
  vi.useFakeTimers();
  const progress: Progress[] = [];
  const ctx: WaitContext = {
    clients: createAwsClients({ region: 'us-east-1' }),
    signal: new AbortController().signal,
    timing: realWaitTiming(),
    progress: (report) => progress.push(report),
  };
  // The RDS client is created before the clock matters, as in a run.
  await ctx.clients.rds();
  return { ctx, progress };
}
