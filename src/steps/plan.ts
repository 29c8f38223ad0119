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

/** How many finds may run at once: enough for the graph's width, gentle on API rate limits. */
const FIND_CONCURRENCY = 6;

/**
 * Reads the whole stack, each step as soon as the steps it needs were found: `status` and
 * teardown's inventory start here. Reads only; a resource with our name but not our tag stops it
 * with ForeignResourceError. Every step is searched, even where a step it needs is gone, so a
 * half-deleted stack is found whole.
 */
export function readStack(ctx: ReadContext, steps: readonly AnyStep[]): Promise<StackPlan> {
  return search(ctx, steps, { searchAll: true });
}

/**
 * `up`'s plan: what exists, and what of it differs from the wanted settings. A step whose needs
 * are missing is not searched (there is nothing to find yet). Reads only, so --dry-run shows it.
 */
export function planStack(ctx: BuildContext, steps: readonly AnyStep[]): Promise<StackPlan> {
  return search(ctx, steps, { searchAll: false, driftOf: ctx });
}

async function search(
  ctx: ReadContext,
  steps: readonly AnyStep[],
  options: { searchAll: boolean; driftOf?: BuildContext },
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
    { waitsFor: (node, other) => dependsOn(node, other, steps), concurrency: FIND_CONCURRENCY, stopOnFailure: true },
  );
  if (run.failed.length > 0) throw run.failed[0]!.error;
  return plan;
}
