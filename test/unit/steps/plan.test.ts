import { describe, expect, it } from 'vitest';
import { readStack } from '../../../src/steps/plan.js';
import type { StepId } from '../../../src/steps/resources.js';
import type { AnyStep } from '../../../src/steps/step.js';
import { stepContext } from '../support/step-context.js';

/** Steps whose finds are held until released, recording which ones had started. */
function heldSteps(specs: { id: StepId; needs: StepId[]; findAfter?: StepId[] }[]) {
  const started: StepId[] = [];
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const steps = specs.map(
    ({ id, needs, findAfter }) =>
      ({
        id,
        title: id,
        needs,
        findAfter,
        owned: true,
        plannedId: () => id,
        find: async () => {
          started.push(id);
          await released;
          return { id };
        },
        summary: () => ({ id, state: 'available' }),
      }) as unknown as AnyStep,
  );
  return { steps, started, release };
}

describe("reading a stack for status and teardown", () => {
  it('starts every find at once but one that reads another step\'s resource, which waits for it', async () => {
    const { steps, started, release } = heldSteps([
      { id: 'subnet-group', needs: [] },
      { id: 'secret', needs: [] },
      { id: 'cluster', needs: ['subnet-group', 'secret'] },
      { id: 'instance', needs: ['cluster'] },
      { id: 'secret-host', needs: ['secret', 'cluster'], findAfter: ['secret', 'cluster'] },
    ]);

    const reading = readStack(stepContext(), steps);
    await new Promise((r) => setTimeout(r, 5));
    const beforeRelease = [...started];
    release();
    const plan = await reading;

    expect(beforeRelease.sort()).toEqual(['cluster', 'instance', 'secret', 'subnet-group']);
    expect(started.at(-1)).toBe('secret-host');
    expect([...plan.values()].every((entry) => entry.found !== undefined)).toBe(true);
  });
});
