import type { Progress } from '../waiters/progress.js';
import type { StepId } from './resources.js';
import type { Change, KeptResource, ResourceSummary } from './step.js';

/** What became of a step's resource in a run (DESIGN.md section 2, `resources[].action`). */
export type StepAction = 'created' | 'exists' | 'updated' | 'planned';

/** A resource named by its step, as `status` names it. */
export interface StepResource {
  step: StepId;
  title: string;
  id: string;
}

/**
 * What the engine reports while it runs, in order. It never writes to a terminal: the command
 * turns these into spinner lines, plain lines or nothing (--json keeps progress on stderr).
 */
export type StackEvent =
  | { type: 'step-started'; step: StepId; title: string }
  | { type: 'step-updating'; step: StepId; title: string; changes: readonly Change[] }
  /** A wait (with the status AWS reports) or a retry in progress. */
  | { type: 'step-progress'; step: StepId; title: string; progress: Progress }
  | { type: 'step-done'; step: StepId; title: string; action: StepAction; resource: ResourceSummary }
  | { type: 'step-failed'; step: StepId; title: string; cause: unknown; interrupted: boolean }
  | { type: 'rollback-started'; resources: readonly StepResource[] }
  | { type: 'delete-started'; resource: StepResource }
  | { type: 'delete-progress'; resource: StepResource; progress: Progress }
  | { type: 'deleted'; resource: StepResource; kept?: KeptResource }
  | { type: 'delete-failed'; resource: StepResource; cause: unknown };

export type EmitStackEvent = (event: StackEvent) => void;
