import { InterruptedError } from '../errors.js';
import type { Output } from '../ui/output.js';
import { runGraph } from './graph.js';
import { asStep } from './plan.js';
import type { StackResources, StepId } from './resources.js';
import { dependsOn } from './dependencies.js';
import type { AnyStep, DestroyOptions, KeptResource, StepContext } from './step.js';

/** A resource to delete and the step that knows how. */
export interface DestroyTarget {
  step: AnyStep;
  resource: StackResources[StepId];
}

export interface DestroyReport {
  deleted: { step: StepId; id: string }[];
  kept: KeptResource[];
  /** Not deleted (its delete failed, or something that needs it could not be deleted first). */
  left: { step: StepId; id: string; reason: string; manualDelete: string }[];
}

/** Independent deletions run side by side; a DB cluster and a proxy take minutes each. */
const DESTROY_CONCURRENCY = 4;

/**
 * Deletes the given resources in reverse dependency order: a resource goes only after every
 * resource that needs it is gone. Goes on past a failure where it can, and reports for each
 * resource left behind the command that removes it by hand.
 */
export async function destroyResources(
  ctx: StepContext,
  targets: readonly DestroyTarget[],
  options: DestroyOptions,
  out: Output,
  steps: readonly AnyStep[],
): Promise<DestroyReport> {
  const report: DestroyReport = { deleted: [], kept: [], left: [] };
  const byStep = new Map(targets.map((t) => [t.step.id, t]));
  const run = await runGraph(
    targets.map((t) => t.step.id),
    async (id) => {
      const { step, resource } = byStep.get(id)!;
      // After a first Ctrl-C no new deletion starts; what is left is listed with its command.
      if (ctx.signal.aborted) throw new InterruptedError('interrupted before it started');
      const summary = asStep(step).summary(resource);
      const activity = out.start(`deleting ${step.title} ${summary.id}`);
      try {
        const kept = await asStep(step).destroy({ ...ctx, progress: (t) => activity.update(t) }, resource, options);
        report.deleted.push({ step: id, id: summary.id });
        if (kept) report.kept.push(kept);
        activity.succeed(`${step.title} ${summary.id} deleted${kept ? ` (kept ${kept.kind} ${kept.id})` : ''}`);
      } catch (err) {
        activity.fail(`${step.title} ${summary.id} not deleted: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      }
    },
    // A resource waits for every resource that needs it: reverse dependency order.
    { waitsFor: (node, other) => dependsOn(other, node, steps), concurrency: DESTROY_CONCURRENCY, stopOnFailure: false },
  );
  const reasonOf = (id: StepId) => {
    const failure = run.failed.find((f) => f.id === id);
    if (failure) return failure.error instanceof Error ? failure.error.message : String(failure.error);
    return 'a resource that needs it was not deleted';
  };
  for (const id of [...run.failed.map((f) => f.id), ...run.notStarted]) {
    const { step, resource } = byStep.get(id)!;
    report.left.push({
      step: id,
      id: asStep(step).summary(resource).id,
      reason: reasonOf(id),
      manualDelete: asStep(step).manualDelete(ctx, resource),
    });
  }
  return report;
}
