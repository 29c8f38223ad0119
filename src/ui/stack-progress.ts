import type { StackEvent, StepResource } from '../steps/events.js';
import type { StepId } from '../steps/resources.js';
import { renderChanges } from './changes.js';
import type { Output } from './output.js';
import type { Activity } from './progress.js';
import { renderProgress } from './wait-progress.js';

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
const named = (r: StepResource) => `${r.title} ${r.id}`;

/**
 * Turns the engine's events into progress on stderr: one activity per step or deletion, a
 * spinner on a terminal, plain lines otherwise. Returns the function the engine emits to.
 */
export function stackProgress(out: Output): (event: StackEvent) => void {
  const steps = new Map<StepId, Activity>();
  const deletions = new Map<StepId, Activity>();
  return (event) => {
    switch (event.type) {
      case 'step-started':
        steps.set(event.step, out.start(event.title));
        return;
      case 'step-updating':
        steps.get(event.step)?.update(`${event.title}: repairing ${renderChanges(event.changes)}`);
        return;
      case 'step-progress':
        steps.get(event.step)?.update(`${event.title}: ${renderProgress(event.progress)}`);
        return;
      case 'step-done':
        steps.get(event.step)?.succeed(`${event.title} ${event.resource.id} ${event.action}`);
        return;
      case 'step-failed':
        if (event.interrupted) steps.get(event.step)?.note(`${event.title} stopped`);
        else steps.get(event.step)?.fail(`${event.title}: ${messageOf(event.cause)}`);
        return;
      case 'rollback-started':
        out.warn(`Rolling back what this run created (${event.resources.length}): ${event.resources.map(named).join(', ')}.`);
        return;
      case 'delete-started':
        deletions.set(event.resource.step, out.start(`deleting ${named(event.resource)}`));
        return;
      case 'delete-progress':
        deletions.get(event.resource.step)?.update(renderProgress(event.progress));
        return;
      case 'deleted': {
        const kept = event.kept ? ` (kept ${event.kept.kind} ${event.kept.id})` : '';
        deletions.get(event.resource.step)?.succeed(`${named(event.resource)} deleted${kept}`);
        return;
      }
      case 'delete-failed':
        deletions.get(event.resource.step)?.fail(`${named(event.resource)} not deleted: ${messageOf(event.cause)}`);
        return;
    }
  };
}
