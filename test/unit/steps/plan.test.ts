import { describe, expect, it } from 'vitest';
import { ForeignResourceError } from '../../../src/errors.js';
import { planStack, readStack } from '../../../src/steps/plan.js';
import type { StepId } from '../../../src/steps/resources.js';
import type { AnyStep, Step } from '../../../src/steps/step.js';
import { stepContext } from '../support/step-context.js';

interface StepSpec {
  id: StepId;
  needs: StepId[];
  findAfter?: StepId[];
  /** What its find answers: found (the default), nothing, or someone else's resource under its name. */
  exists?: 'ours' | 'absent' | 'foreign';
}

/** Steps whose finds are held until released, recording which finds and drifts had started. */
function heldSteps(specs: StepSpec[]) {
  const started: StepId[] = [];
  const drifted: StepId[] = [];
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const steps = specs.map(
    ({ id, needs, findAfter, exists = 'ours' }) =>
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
          if (exists === 'foreign') throw new ForeignResourceError('Thing', id, 'rdsproxy-setup:stack', 'unit-stack');
          return exists === 'ours' ? { id } : undefined;
        },
        drift: async () => {
          drifted.push(id);
          return [{ field: 'Setting', have: 'drifted', want: 'wanted' }];
        },
        create: async () => {
          throw new Error(`the plan created ${id}`);
        },
        summary: () => ({ id, state: 'available' }),
      }) as unknown as AnyStep,
  );
  return { steps, started, drifted, release };
}

/** Lets the finds that can start begin, and returns which had. */
async function startedBeforeRelease(started: StepId[]): Promise<StepId[]> {
  await new Promise((r) => setTimeout(r, 5));
  return [...started].sort();
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
    const beforeRelease = await startedBeforeRelease(started);
    release();
    const plan = await reading;

    expect(beforeRelease).toEqual(['cluster', 'instance', 'secret', 'subnet-group']);
    expect(started.at(-1)).toBe('secret-host');
    expect([...plan.values()].every((entry) => entry.found !== undefined)).toBe(true);
  });
});

describe("up's plan", () => {
  it('starts every find at once, needs or not, but one that reads another step\'s resource', async () => {
    const { steps, started, release } = heldSteps([
      { id: 'network', needs: [] },
      { id: 'proxy-sg', needs: ['network'], findAfter: ['network'] },
      { id: 'secret', needs: [] },
      { id: 'role', needs: ['secret'] },
      { id: 'proxy', needs: ['proxy-sg', 'secret', 'role', 'network'] },
    ]);

    const planning = planStack(stepContext(), steps);
    const beforeRelease = await startedBeforeRelease(started);
    release();
    await planning;

    expect(beforeRelease).toEqual(['network', 'proxy', 'role', 'secret']);
    expect(started.at(-1)).toBe('proxy-sg');
  });

  it('stops at a foreign resource under the name of a step whose needs do not exist yet', async () => {
    const { steps, release } = heldSteps([
      { id: 'secret', needs: [], exists: 'absent' },
      { id: 'cluster', needs: ['secret'], exists: 'absent' },
      { id: 'instance', needs: ['cluster'], exists: 'foreign' },
    ]);

    const planning = planStack(stepContext(), steps);
    release();

    await expect(planning).rejects.toThrow(ForeignResourceError);
    await expect(planning).rejects.toThrow('Thing instance exists but is not tagged');
  });

  it('leaves a step found while a need is missing for the runner to read again, with no drift read', async () => {
    const { steps, drifted, release } = heldSteps([
      { id: 'secret', needs: [] },
      { id: 'role', needs: ['secret'], exists: 'absent' },
      { id: 'proxy', needs: ['secret', 'role'] },
    ]);

    const planning = planStack(stepContext(), steps);
    release();
    const plan = await planning;

    expect(plan.get('proxy')).toMatchObject({ found: { id: 'proxy' }, searched: false, changes: [] });
    expect(plan.get('role')).toMatchObject({ found: undefined, searched: true });
    expect(plan.get('secret')).toMatchObject({ searched: true, changes: [{ field: 'Setting' }] });
    expect(drifted).toEqual(['secret']);
  });

  it('reads no drift of a step when a step it needs through another is missing', async () => {
    const { steps, drifted, release } = heldSteps([
      { id: 'secret', needs: [], exists: 'absent' },
      { id: 'role', needs: ['secret'] },
      { id: 'proxy', needs: ['role'] },
    ]);

    const planning = planStack(stepContext(), steps);
    release();
    const plan = await planning;

    expect(plan.get('proxy')).toMatchObject({ found: { id: 'proxy' }, searched: false });
    expect(drifted).toEqual([]);
  });

  it('reads the drift of a step only after the finds of the steps it needs have ended', async () => {
    const { steps, drifted, release } = heldSteps([
      { id: 'network', needs: [] },
      { id: 'proxy-sg', needs: ['network'] },
      { id: 'cluster-sg', needs: ['proxy-sg'] },
    ]);
    const events: string[] = [];
    const proxySg = steps[1] as Step<'proxy-sg'>;
    const find = proxySg.find.bind(proxySg);
    proxySg.find = async (ctx) => {
      await new Promise((r) => setTimeout(r, 10));
      const found = await find(ctx);
      events.push(`found proxy-sg, drifts so far: ${drifted.join(' ') || 'none'}`);
      return found;
    };

    const planning = planStack(stepContext(), steps);
    release();
    await planning;

    expect(events).toEqual(['found proxy-sg, drifts so far: network']);
    expect(drifted.sort()).toEqual(['cluster-sg', 'network', 'proxy-sg']);
  });
});
