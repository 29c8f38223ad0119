import { runGraph } from './graph.js';
import type { StackResources, StepId } from './resources.js';
import { dependsOn } from './dependencies.js';
import type { AnyStep, BuildContext, Change, ReadContext, Step } from './step.js';

/** What the plan knows about one step before anything is written. */
export interface PlanEntry {
  step: Step;
  /** False when a step it needs does not exist yet, so there was nothing to look for. */
  searched: boolean;
  found?: StackResources[StepId];
  /** What differs from `up`'s wanted settings (read only when the plan was asked for drift). */
  changes: Change[];
}

export type StackPlan = Map<StepId, PlanEntry>;

/** Records what a step found or created, where the steps after it read it. */
export function setResource<K extends StepId>(ctx: ReadContext, id: K, resource: StackResources[K]): void {
  ctx.resources[id] = resource;
}

/** How many finds may run at once in `up`'s plan: enough for the graph's width, gentle on API rate limits. */
const FIND_CONCURRENCY = 6;

/**
 * Reads the whole stack: `status` and teardown's inventory start here. Every find runs at once,
 * but for those that read another step's resource (`findAfter`), so a status is a few rounds of
 * requests deep. Reads only; a resource with our name but not our tag stops it with
 * ForeignResourceError. Every step is searched, even where a step it needs is gone, so a
 * half-deleted stack is found whole.
 */
export function readStack(ctx: ReadContext, steps: readonly AnyStep[]): Promise<StackPlan> {
  const findAfter = (id: StepId) => steps.find((s) => s.id === id)?.findAfter ?? [];
  return search(ctx, steps, {
    searchAll: true,
    waitsFor: (node, other) => findAfter(node).includes(other),
    concurrency: steps.length,
  });
}

/**
 * `up`'s plan: what exists, and what of it differs from the wanted settings. A step whose needs
 * are missing is not searched (there is nothing to find yet). Reads only, so --dry-run shows it.
 */
export function planStack(ctx: BuildContext, steps: readonly AnyStep[]): Promise<StackPlan> {
  return search(ctx, steps, {
    searchAll: false,
    driftOf: ctx,
    waitsFor: (node, other) => dependsOn(node, other, steps),
    concurrency: FIND_CONCURRENCY,
  });
}

async function search(
  ctx: ReadContext,
  steps: readonly AnyStep[],
  options: { searchAll: boolean; driftOf?: BuildContext; waitsFor: (node: StepId, other: StepId) => boolean; concurrency: number },
): Promise<StackPlan> {
  const plan: StackPlan = new Map(steps.map((step) => [step.id, { step, searched: false, changes: [] }]));
  const run = await runGraph(
    steps.map((s) => s.id),
    async (id) => {
      const entry = plan.get(id)!;
      const missingNeed = entry.step.needs.some((need) => plan.has(need) && plan.get(need)!.found === undefined);
      if (missingNeed && !options.searchAll) return;
      entry.searched = true;
      entry.found = await entry.step.find(ctx);
      if (entry.found === undefined) return;
      setResource(ctx, id, entry.found);
      if (options.driftOf && entry.step.drift) entry.changes = await entry.step.drift(options.driftOf, entry.found);
    },
    { waitsFor: options.waitsFor, concurrency: options.concurrency, stopOnFailure: true },
  );
  if (run.failed.length > 0) throw run.failed[0]!.error;
  return plan;
}
