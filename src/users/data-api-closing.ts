import { closeDataApi } from './http-endpoint.js';
import type { UserContext } from './user-context.js';
import type { UserStack } from './user-stack.js';

/** What became of the cluster's Data API (HTTP endpoint) during a user command. */
export interface DataApiState {
  /** This command turned it on. */
  opened: boolean;
  /** It is off again (--close-data-api). */
  closed: boolean;
}

/**
 * Runs a user command's work with the Data API open, then closes it when asked, whether the work
 * succeeded or not; a failure of the work wins over a failure to close.
 */
export async function withDataApiClosing<T>(
  ctx: UserContext,
  stack: UserStack,
  close: boolean,
  work: (state: DataApiState) => Promise<T>,
): Promise<T> {
  const state: DataApiState = { opened: false, closed: false };
  let result: T;
  try {
    result = await work(state);
  } catch (err) {
    if (close) {
      try {
        await closeDataApi(ctx, stack);
        state.closed = true;
      } catch {
        // the work's own failure is the one to report
      }
    }
    throw err;
  }
  if (close) {
    await closeDataApi(ctx, stack);
    state.closed = true;
  }
  return result;
}
