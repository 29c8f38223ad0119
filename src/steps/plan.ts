import type { StackNames } from '../config/names.js';
import type { StackSettings } from '../config/up-config.js';
import { runGraph } from './graph.js';
import type { StackResources, StepId } from './resources.js';
import { dependsOn } from './dependencies.js';
import type { AnyStep, ResourceSummary, Step, StepContext } from './step.js';

/** What the plan knows about one step before anything is written. */
export interface PlanEntry {
  step: AnyStep;
  /** False when a step it needs does not exist yet, so there was nothing to look for. */
  searched: boolean;
  found?: StackResources[StepId];
  drift: string[];
}

export type StackPlan = Map<StepId, PlanEntry>;

/** Steps are typed per resource; the runner handles them through this one shape. */
export const asStep = (step: AnyStep) => step as unknown as Step;

export function setResource(ctx: StepContext, id: StepId, resource: StackResources[StepId]): void {
  (ctx.resources as Record<StepId, StackResources[StepId]>)[id] = resource;
}

/** How many finds may run at once: enough for the graph's width, gentle on API rate limits. */
const FIND_CONCURRENCY = 6;

/**
 * Reads the whole stack, each step as soon as the steps it needs were found: the plan, the
 * status report and teardown's inventory all start here. Reads only; a resource with our name
 * but not our tag stops it with ForeignResourceError. With searchAll (teardown), every step is
 * searched even where a step it needs is gone, so a half-deleted stack is found whole.
 */
export async function planStack(
  ctx: StepContext,
  steps: readonly AnyStep[],
  options: { checkDrift: boolean; searchAll?: boolean },
): Promise<StackPlan> {
  const plan: StackPlan = new Map(steps.map((step) => [step.id, { step, searched: false, drift: [] }]));
  const run = await runGraph(
    steps.map((s) => s.id),
    async (id) => {
      const entry = plan.get(id)!;
      const missingNeed = entry.step.needs.some((need) => plan.has(need) && plan.get(need)!.found === undefined);
      if (missingNeed && !options.searchAll) return;
      const step = asStep(entry.step);
      entry.searched = true;
      entry.found = await step.find(ctx);
      if (entry.found === undefined) return;
      setResource(ctx, id, entry.found);
      if (options.checkDrift && step.drift) entry.drift = await step.drift(ctx, entry.found);
    },
    { waitsFor: (node, other) => dependsOn(node, other, steps), concurrency: FIND_CONCURRENCY, stopOnFailure: true },
  );
  if (run.failed.length > 0) throw run.failed[0]!.error;
  return plan;
}

/** The id a step's resource will have once created: what --dry-run shows. */
export function plannedId(id: StepId, names: StackNames, settings: StackSettings): string {
  switch (id) {
    case 'network':
      return settings.vpcId ?? 'default VPC';
    case 'subnet-group':
      return settings.dbSubnetGroup ?? names.subnetGroup;
    case 'proxy-sg':
      return names.proxySecurityGroup;
    case 'cluster-sg':
      return names.clusterSecurityGroup;
    case 'secret':
    case 'secret-host':
      return names.secret;
    case 'cluster':
      return names.cluster;
    case 'instance':
      return names.instance;
    case 'role':
      return names.role;
    case 'proxy':
    case 'target-group':
      return names.proxy;
    case 'target':
      return `${names.proxy} → ${names.cluster}`;
  }
}

/** The row of a resource that exists (or was just made). */
export function summarize(step: AnyStep, resource: StackResources[StepId]): ResourceSummary {
  return asStep(step).summary(resource);
}
