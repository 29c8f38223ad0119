import { runGraph } from './graph.js';
import type { StackResources, StepId } from './resources.js';
import { dependsOn } from './dependencies.js';
import type { AnyStep, BuildContext, Change, ReadContext, Step } from './step.js';

/** What the plan knows about one step before anything is written. */
export interface PlanEntry {
  step: Step;
  /**
   * True when the step was read with every step it needs in place, so the runner takes `found` and
   * `changes` as they are. False when a need is still to be made: the plan looked for the step's
   * name only to stop at a foreign resource before any write, and the runner reads it again once
   * its needs exist (a proxy's default target group, say, appears only with the proxy).
   */
  searched: boolean;
  found?: StackResources[StepId];
  /** What differs from `up`'s wanted settings (read only where `searched`). */
  changes: Change[];
}

export type StackPlan = Map<StepId, PlanEntry>;

/** Records what a step found or created, where the steps after it read it. */
export function setResource<K extends StepId>(ctx: ReadContext, id: K, resource: StackResources[K]): void {
  ctx.resources[id] = resource;
}

/** The steps whose found resource this step's find reads; every other find starts at once. */
function findsBefore(steps: readonly AnyStep[]) {
  return (id: StepId, other: StepId) => (steps.find((s) => s.id === id)?.findAfter ?? []).includes(other);
}

/** Looks for one step's resource by its derived name and records it where later steps read it. */
async function findInto(ctx: ReadContext, entry: PlanEntry): Promise<void> {
  entry.found = await entry.step.find(ctx);
  if (entry.found !== undefined) setResource(ctx, entry.step.id, entry.found);
}

/** A plan with nothing read yet, in the steps' order. */
function emptyPlan(steps: readonly AnyStep[]): StackPlan {
  return new Map(steps.map((step) => [step.id, { step, searched: false, changes: [] }]));
}

/**
 * Reads the whole stack: `status` and teardown's inventory start here. Every find runs at once,
 * but for those that read another step's resource (`findAfter`), so a status is a few rounds of
 * requests deep. Reads only; a resource with our name but not our tag stops it with
 * ForeignResourceError. Every step is searched, even where a step it needs is gone, so a
 * half-deleted stack is found whole.
 */
export async function readStack(ctx: ReadContext, steps: readonly AnyStep[]): Promise<StackPlan> {
  const plan = emptyPlan(steps);
  const run = await runGraph(
    steps.map((s) => s.id),
    async (id) => {
      const entry = plan.get(id)!;
      entry.searched = true;
      await findInto(ctx, entry);
    },
    { waitsFor: findsBefore(steps), concurrency: steps.length, stopOnFailure: true },
  );
  if (run.failed.length > 0) throw run.failed[0]!.error;
  return plan;
}

/** A step's part of the plan: looking for its resource, then (once its needs are read) its drift. */
interface PlanPart {
  id: StepId;
  part: 'find' | 'drift';
}

/**
 * `up`'s plan and its preflight: every step's resource is looked for by its derived name before
 * anything is written, so a foreign resource under any of the stack's names stops `up` with
 * nothing written. The finds run at once (but for those that read another step's resource,
 * `findAfter`); a step's drift is read as soon as it and every step it needs were found. Reads
 * only, so --dry-run shows it.
 */
export async function planStack(ctx: BuildContext, steps: readonly AnyStep[]): Promise<StackPlan> {
  const plan = emptyPlan(steps);
  const findWaitsFor = findsBefore(steps);
  const needsOf = (id: StepId) => steps.filter((other) => dependsOn(id, other.id, steps)).map((other) => other.id);
  const parts = steps.flatMap(({ id }): PlanPart[] => [{ id, part: 'find' }]);
  parts.push(...steps.map(({ id }): PlanPart => ({ id, part: 'drift' })));

  const run = await runGraph(
    parts,
    async ({ id, part }) => {
      const entry = plan.get(id)!;
      if (part === 'find') return findInto(ctx, entry);
      // A need still to be made: the runner reads this step again once it exists.
      if (needsOf(id).some((need) => plan.get(need)!.found === undefined)) return;
      entry.searched = true;
      if (entry.found !== undefined && entry.step.drift) entry.changes = await entry.step.drift(ctx, entry.found);
    },
    {
      waitsFor: (node, other) =>
        other.part === 'find' &&
        (node.part === 'find'
          ? findWaitsFor(node.id, other.id)
          : other.id === node.id || needsOf(node.id).includes(other.id)),
      // Every find at once, as status does; the drifts follow as their finds end.
      concurrency: steps.length,
      stopOnFailure: true,
    },
  );
  if (run.failed.length > 0) throw run.failed[0]!.error;
  return plan;
}
