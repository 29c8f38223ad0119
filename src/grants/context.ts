import type { AwsClients } from '../aws/clients.js';
import type { PollTiming, WaitTiming } from '../config/timing.js';
import type { Progress } from '../waiters/progress.js';

/** What the grant engine works with: AWS clients, a way to stop, and how long waits and retries may take. */
export interface GrantContext {
  clients: AwsClients;
  signal: AbortSignal;
  timing: { wait: WaitTiming; retry: PollTiming };
  /** What a wait or a retry is at now; the command shows it. */
  progress(progress: Progress): void;
  /** Awaited once, after the reads and refusals and before the first write: the command takes the stack's lease here. */
  beforeFirstWrite?: () => Promise<void>;
}

/** Undoing goes on after a first Ctrl-C has aborted the run's own waits (a second one exits at once). */
export function undoContext(ctx: GrantContext): GrantContext {
  return { ...ctx, signal: new AbortController().signal };
}
