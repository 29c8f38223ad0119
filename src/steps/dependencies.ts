import type { StepId } from './resources.js';
import type { AnyStep } from './step.js';

/**
 * Whether `step` needs `other`, directly or through steps in between. `graph` is every step of
 * the stack, so an edge through a step that is not being run (an unowned one in teardown) counts.
 */
export function dependsOn(step: StepId, other: StepId, graph: readonly AnyStep[]): boolean {
  const needsOf = (id: StepId) => graph.find((s) => s.id === id)?.needs ?? [];
  const seen = new Set<StepId>();
  const stack = [...needsOf(step)];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (next === other) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...needsOf(next));
  }
  return false;
}

/**
 * Whether `step` may start only once `other` is ready: it needs `other` (directly or through steps
 * in between), and `other` is not a need it starts after as soon as it is created.
 */
export function startsAfterReady(step: StepId, other: StepId, graph: readonly AnyStep[]): boolean {
  const startsAfterCreated = graph.find((s) => s.id === step)?.startsAfterCreated ?? [];
  return !startsAfterCreated.includes(other) && dependsOn(step, other, graph);
}
