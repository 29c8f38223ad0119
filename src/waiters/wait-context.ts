import type { AwsClients } from '../aws/clients.js';
import type { WaitTiming } from '../config/timing.js';
import type { Progress } from './progress.js';

/** What a waiter needs: the RDS client, a way to stop, how long to wait, where to say how it goes. */
export interface WaitContext {
  clients: Pick<AwsClients, 'rds'>;
  /** Aborts the wait with InterruptedError. */
  signal: AbortSignal;
  timing: { wait: WaitTiming };
  /** Told each status seen while waiting. */
  progress(progress: Progress): void;
}
