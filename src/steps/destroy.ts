import { InterruptedError } from '../errors.js';
import type { EmitStackEvent, StepResource } from './events.js';
import { runGraph } from './graph.js';
import type { StackResources, StepId } from './resources.js';
import { dependsOn } from './dependencies.js';
import type { AnyStep, DestroyOptions, KeptResource, ReadContext, Step } from './step.js';

/** A resource to delete and the step that knows how. */
export interface DestroyTarget {
  step: Step;
  resource: StackResources[StepId];
}

/** A resource that was not deleted, why, and the command that removes it by hand. */
export interface LeftResource extends StepResource {
  reason: string;
  manualDelete: string;
}

export interface DestroyReport {
  deleted: StepResource[];
  kept: KeptResource[];
  /** Not deleted (its delete failed, or something that needs it could not be deleted first). */
  left: LeftResource[];
}

export interface DestroyResourcesOptions {
  options: DestroyOptions;
  /** Every step of the stack: the order comes from the whole graph, not only the targets' steps. */
  graph: readonly AnyStep[];
  emit: EmitStackEvent;
}

/** The order to remove them by hand: each resource after every resource that needs it. */
function inRemovalOrder(ids: readonly StepId[], graph: readonly AnyStep[]): StepId[] {
  const rest = [...ids];
  const ordered: StepId[] = [];
  while (rest.length > 0) {
    const free = rest.findIndex((id) => !rest.some((other) => other !== id && dependsOn(other, id, graph)));
    ordered.push(...rest.splice(Math.max(free, 0), 1));
  }
  return ordered;
}

/** Independent deletions run side by side; a DB cluster and a proxy take minutes each. */
const DESTROY_CONCURRENCY = 4;

/**
 * Deletes the given resources in reverse dependency order: a resource goes only after every
 * resource that needs it is gone. Goes on past a failure where it can, and reports for each
 * resource left behind the command that removes it by hand.
 */
export async function destroyResources(
  ctx: ReadContext,
  targets: readonly DestroyTarget[],
  { options, graph, emit }: DestroyResourcesOptions,
): Promise<DestroyReport> {
  const report: DestroyReport = { deleted: [], kept: [], left: [] };
  const byStep = new Map(targets.map((t) => [t.step.id, t]));
  const named = ({ step, resource }: DestroyTarget): StepResource => ({
    step: step.id,
    title: step.title,
    id: step.summary(resource).id,
  });
  const run = await runGraph(
    targets.map((t) => t.step.id),
    async (id) => {
      const target = byStep.get(id)!;
      // After a first Ctrl-C no new deletion starts; what is left is listed with its command.
      if (ctx.signal.aborted) throw new InterruptedError('interrupted before it started');
      const resource = named(target);
      emit({ type: 'delete-started', resource });
      try {
        const kept = await target.step.destroy(
          { ...ctx, progress: (progress) => emit({ type: 'delete-progress', resource, progress }) },
          target.resource,
          options,
        );
        report.deleted.push(resource);
        if (kept) report.kept.push(kept);
        emit({ type: 'deleted', resource, ...(kept ? { kept } : {}) });
      } catch (err) {
        emit({ type: 'delete-failed', resource, cause: err });
        throw err;
      }
    },
    // A resource waits for every resource that needs it: reverse dependency order.
    { waitsFor: (node, other) => dependsOn(other, node, graph), concurrency: DESTROY_CONCURRENCY, stopOnFailure: false },
  );
  const notDeleted = inRemovalOrder([...run.failed.map((f) => f.id), ...run.notStarted], graph);
  const reasonOf = (id: StepId) => {
    const failure = run.failed.find((f) => f.id === id);
    if (failure) return failure.error instanceof Error ? failure.error.message : String(failure.error);
    // Never started: a resource that needs it is still there. Name it, so the order of the manual commands is clear.
    const holders = notDeleted.filter((other) => other !== id && dependsOn(other, id, graph)).map((other) => named(byStep.get(other)!));
    if (holders.length === 0) return 'a resource that needs it was not deleted';
    return `still needed by ${holders.map((h) => `${h.title} ${h.id}`).join(', ')}, which ${holders.length === 1 ? 'was' : 'were'} not deleted`;
  };
  for (const id of notDeleted) {
    const target = byStep.get(id)!;
    report.left.push({
      ...named(target),
      reason: reasonOf(id),
      manualDelete: target.step.manualDelete(ctx, target.resource),
    });
  }
  return report;
}
