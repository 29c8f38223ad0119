import { poll, type FailedVerdict, type PollVerdict } from './poll.js';
import type { WaitContext } from './wait-context.js';
import type { WaitFailure } from './wait-failed-error.js';

/** A state a resource does not leave on its own: what it means, and what to do about it. */
export interface FailedState {
  explanation: string;
  hint?: string;
}

/** How one kind of RDS resource moves through its states (Terraform's pending/target lists). */
export interface StatusModel<T> {
  resource: WaitFailure['resource'];
  /** Names it in progress and errors: "Aurora cluster orders-dev-cluster". */
  what: string;
  /** One describe call; undefined when it does not exist. */
  read(): Promise<T | undefined>;
  status(resource: T): string;
  /** On the way to available: keep waiting. */
  pendingAvailable: ReadonlySet<string>;
  /** Explains a state waiting will not fix; undefined for a state this tool does not know. */
  failed(status: string): FailedState | undefined;
  /** On the way to gone: keep waiting ('any': every state until not found). */
  pendingDeleted: ReadonlySet<string> | 'any';
}

function reportPending(ctx: WaitContext, what: string) {
  return (status: string, elapsedMs: number) => ctx.progress({ kind: 'waiting', what, status, elapsedMs });
}

function failed<T>(model: StatusModel<T>, status: string, state: FailedState): FailedVerdict {
  return { state: 'failed', status, ...state, failure: { resource: model.resource, status } };
}

function availableVerdict<T>(model: StatusModel<T>, resource: T | undefined): PollVerdict<T> {
  if (!resource) return failed(model, 'gone', { explanation: 'it no longer exists.' });
  const status = model.status(resource);
  if (status === 'available') return { state: 'target', status, value: resource };
  if (model.pendingAvailable.has(status)) return { state: 'pending', status, value: resource };
  return failed(model, status, model.failed(status) ?? { explanation: `"${status}" is not a state on the way to available.` });
}

/** Polls until the resource is available and returns its description. */
export function waitUntilAvailable<T>(ctx: WaitContext, model: StatusModel<T>): Promise<T> {
  return poll({
    ...ctx.timing.wait,
    expectedMs: ctx.timing.wait.expected?.[model.resource.kind]?.readyMs,
    what: model.what,
    signal: ctx.signal,
    onPending: reportPending(ctx, model.what),
    check: async () => availableVerdict(model, await model.read()),
  });
}

/** Polls until the resource is gone: not-found is the target. */
export async function waitUntilGone<T>(ctx: WaitContext, model: StatusModel<T>): Promise<void> {
  await poll<true>({
    ...ctx.timing.wait,
    expectedMs: ctx.timing.wait.expected?.[model.resource.kind]?.goneMs,
    what: model.what,
    signal: ctx.signal,
    onPending: reportPending(ctx, `${model.what} to be deleted`),
    check: async () => {
      const resource = await model.read();
      if (!resource) return { state: 'target', status: 'deleted', value: true };
      const status = model.status(resource);
      if (model.pendingDeleted === 'any' || model.pendingDeleted.has(status)) return { state: 'pending', status };
      return failed(model, status, { explanation: `"${status}" is not a state on the way to deleted.` });
    },
  });
}
