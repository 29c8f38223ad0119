import { vi } from 'vitest';

/** Runs the fake clock until the promise settles (or an hour has passed) and says how it ended. */
export async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  const outcome = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await vi.advanceTimersByTimeAsync(60 * 60_000);
  return outcome;
}
