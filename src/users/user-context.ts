import type { AwsClients } from '../aws/clients.js';
import type { GlobalConfig } from '../config/global-options.js';
import type { StackNames } from '../config/names.js';
import type { PollTiming, WaitTiming } from '../config/timing.js';
import type { Progress } from '../waiters/progress.js';

/** What the database-user engine works with: the stack's names, AWS, and how long it may wait. */
export interface UserContext {
  config: GlobalConfig;
  names: StackNames;
  clients: AwsClients;
  signal: AbortSignal;
  timing: { wait: WaitTiming; retry: PollTiming };
  progress(progress: Progress): void;
}
