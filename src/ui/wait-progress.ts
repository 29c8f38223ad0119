import { formatElapsed } from '../config/timing.js';
import type { Progress } from '../waiters/progress.js';

/** "waiting for RDS proxy p: creating (1m10s)", or "deleting x: it is busy; retrying". */
export function renderProgress(progress: Progress): string {
  return progress.kind === 'waiting'
    ? `waiting for ${progress.what}: ${progress.status} (${formatElapsed(progress.elapsedMs)})`
    : `${progress.what}: ${progress.because}; retrying`;
}
