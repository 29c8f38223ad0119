import { describe, expect, it } from 'vitest';
import { CliError, InterruptedError } from '../../../src/errors.js';
import type { StackEvent } from '../../../src/steps/events.js';
import { planStack } from '../../../src/steps/plan.js';
import type { ClientStepId, StepId } from '../../../src/steps/resources.js';
import { runStack, type StackRun, type StepOutcome } from '../../../src/steps/runner.js';
import { dependsOn } from '../../../src/steps/dependencies.js';
import type { AnyStep } from '../../../src/steps/step.js';
import { stepContext } from '../support/step-context.js';

/** The graph of DESIGN.md section 1, written out here as the specification the runner obeys. */
const NEEDS: Record<Exclude<StepId, ClientStepId>, StepId[]> = {
  network: [],
  'subnet-group': ['network'],
  'proxy-sg': ['network'],
  'cluster-sg': ['proxy-sg'],
  secret: [],
  cluster: ['subnet-group', 'cluster-sg', 'secret'],
  'secret-host': ['secret', 'cluster'],
  instance: ['cluster'],
  role: ['secret'],
  proxy: ['proxy-sg', 'secret', 'role', 'network'],
  'target-group': ['proxy'],
  target: ['proxy', 'cluster', 'instance'],
};
const IDS = Object.keys(NEEDS) as (keyof typeof NEEDS)[];

/** An account in memory: which resources exist, and every call made, in order. */
class FakeAccount {
  readonly existing = new Set<StepId>();
  readonly calls: string[] = [];
  failCreate?: StepId;
  failDestroy?: StepId;
  drifted = new Set<StepId>();
  /** A wait that does not end until released (to observe concurrency and interrupts). */
  holdWait?: { step: StepId; release: Promise<void>; started: () => void };
  /** A deletion that does not end until its signal aborts (to observe an interrupted rollback). */
  holdDestroy?: { step: StepId; started: () => void };
  /** Needs a step may start after once they are created (the step contract's startsAfterCreated). */
  startsAfterCreated: Partial<Record<StepId, StepId[]>> = {};

  steps(): AnyStep[] {
    return IDS.map((id) => {
      const step = {
        id,
        title: id,
        needs: NEEDS[id],
        startsAfterCreated: this.startsAfterCreated[id],
        owned: true,
        find: async () => {
          this.calls.push(`find ${id}`);
          return this.existing.has(id) ? { id } : undefined;
        },
        create: async () => {
          this.calls.push(`create ${id}`);
          if (this.failCreate === id) throw new CliError(`creating ${id}: AWS said no`);
          this.existing.add(id);
          return { id };
        },
        drift: async () => (this.drifted.has(id) ? [{ field: 'Setting', have: 'drifted', want: 'wanted' }] : []),
        converge: async () => {
          this.calls.push(`converge ${id}`);
          this.drifted.delete(id);
          return { id };
        },
        wait: async (ctx: { signal: AbortSignal }, r: unknown) => {
          if (this.holdWait?.step === id) {
            this.holdWait.started();
            await Promise.race([
              this.holdWait.release,
              new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new InterruptedError()))),
            ]);
          }
          this.calls.push(`ready ${id}`);
          return r;
        },
        destroy: async (ctx: { signal: AbortSignal }) => {
          this.calls.push(`destroy ${id}`);
          if (this.holdDestroy?.step === id) {
            this.holdDestroy.started();
            await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new InterruptedError('interrupted while deleting'))));
          }
          if (this.failDestroy === id) throw new CliError(`deleting ${id}: still in use`);
          this.existing.delete(id);
        },
        plannedId: () => `${id}-id`,
        manualDelete: () => `aws delete-${id}`,
        summary: () => ({ id: `${id}-id`, state: 'available' }),
      };
      return step as unknown as AnyStep;
    });
  }

  index(call: string): number {
    return this.calls.indexOf(call);
  }
}

/** Holds the cluster's wait: `waiting` resolves once it has begun, `release` ends it (else it waits until aborted). */
function holdClusterWait(account: FakeAccount): { waiting: Promise<void>; release: () => void } {
  let release!: () => void;
  let started!: () => void;
  const waiting = new Promise<void>((r) => (started = r));
  account.holdWait = { step: 'cluster', release: new Promise((r) => (release = r)), started: () => started() };
  return { waiting, release };
}

async function up(
  account: FakeAccount,
  options: { rollback?: boolean; abort?: AbortController; rollbackSignal?: AbortSignal; events?: StackEvent[] } = {},
) {
  const abort = options.abort ?? new AbortController();
  const steps = account.steps();
  const ctx = stepContext({ signal: abort.signal });
  const plan = await planStack(ctx, steps);
  const emit = (event: StackEvent) => options.events?.push(event);
  return runStack(ctx, { steps, plan, abort, rollback: options.rollback ?? true, rollbackSignal: options.rollbackSignal, emit });
}

function outcomesOf(run: StackRun): StepOutcome[] {
  if (!run.ok) throw new Error(`the run failed: ${String(run.failure?.error)}`);
  return run.outcomes;
}

function failureOf(run: StackRun): Extract<StackRun, { ok: false }> {
  if (run.ok) throw new Error('the run succeeded');
  return run;
}

const messageOf = (run: StackRun) => (failureOf(run).failure?.error as Error | undefined)?.message;

describe('the step runner', () => {
  it('creates every step of an empty stack, each only after the steps it needs are ready', async () => {
    const account = new FakeAccount();

    const outcomes = outcomesOf(await up(account));

    expect(outcomes.map((o) => o.action)).toEqual(IDS.map(() => 'created'));
    for (const id of IDS) {
      for (const need of NEEDS[id]) expect(account.index(`create ${id}`)).toBeGreaterThan(account.index(`ready ${need}`));
    }
  });

  it('creates the proxy while the cluster is still being built', async () => {
    const account = new FakeAccount();
    const { waiting, release } = holdClusterWait(account);

    const run = up(account);
    await waiting;
    await new Promise((r) => setTimeout(r, 20));
    const proxyCreatedDuringClusterWait = account.calls.includes('create proxy');
    release();
    await run;

    expect(proxyCreatedDuringClusterWait).toBe(true);
  });

  it('starts a step as soon as a need it may start after is created, while that need is still being waited for', async () => {
    const account = new FakeAccount();
    account.startsAfterCreated = { instance: ['cluster'] };
    const { waiting, release } = holdClusterWait(account);

    const run = up(account);
    await waiting;
    await new Promise((r) => setTimeout(r, 20));
    const instanceCreatedDuringClusterWait = account.calls.includes('create instance');
    release();
    const outcomes = outcomesOf(await run);

    expect(instanceCreatedDuringClusterWait).toBe(true);
    expect(account.index('create instance')).toBeGreaterThan(account.index('create cluster'));
    expect(account.index('create target')).toBeGreaterThan(account.index('ready cluster'));
    expect(account.index('create target')).toBeGreaterThan(account.index('ready instance'));
    expect(outcomes.find((o) => o.step === 'instance')?.action).toBe('created');
  });

  it('rolls back a step started after a need was created when that need then fails to become ready', async () => {
    const account = new FakeAccount();
    account.startsAfterCreated = { instance: ['cluster'] };
    const abort = new AbortController();
    const { waiting } = holdClusterWait(account);

    const running = up(account, { abort });
    await waiting;
    await new Promise((r) => setTimeout(r, 20));
    abort.abort('interrupt');
    const run = failureOf(await running);

    expect(run.created.map((c) => c.step)).toContain('instance');
    expect(account.index('destroy instance')).toBeLessThan(account.index('destroy cluster'));
    expect([...account.existing]).toEqual([]);
  });

  it('changes nothing on a complete stack and reports every resource as existing', async () => {
    const account = new FakeAccount();
    IDS.forEach((id) => account.existing.add(id));

    const outcomes = outcomesOf(await up(account));

    expect(outcomes.every((o) => o.action === 'exists')).toBe(true);
    expect(account.calls.filter((c) => /^(create|converge|destroy)/.test(c))).toEqual([]);
  });

  it('repairs a drifted resource and reports it as updated', async () => {
    const account = new FakeAccount();
    IDS.forEach((id) => account.existing.add(id));
    account.drifted.add('target-group');

    const outcomes = outcomesOf(await up(account));

    expect(outcomes.find((o) => o.step === 'target-group')?.action).toBe('updated');
    expect(account.calls).toContain('converge target-group');
  });

  it('finishes a half-built stack without creating what already exists', async () => {
    const account = new FakeAccount();
    (['network', 'secret', 'proxy-sg', 'role'] as StepId[]).forEach((id) => account.existing.add(id));

    await up(account);

    expect(account.calls.filter((c) => c.startsWith('create')).sort()).toEqual(
      IDS.filter((id) => !['network', 'secret', 'proxy-sg', 'role'].includes(id)).map((id) => `create ${id}`).sort(),
    );
  });

  describe('when a create call fails', () => {
    for (const failing of IDS.filter((id) => id !== 'network')) {
      it(`rolls back exactly what the run created before ${failing} failed, in reverse dependency order`, async () => {
        const account = new FakeAccount();
        const preExisting: StepId[] = failing === 'secret' ? ['network', 'proxy-sg'] : ['network', 'secret'];
        preExisting.forEach((id) => account.existing.add(id));
        account.failCreate = failing;

        const run = await up(account);

        expect(messageOf(run)).toBe(`creating ${failing}: AWS said no`);
        const created = account.calls.filter((c) => c.startsWith('create') && c !== `create ${failing}`).map((c) => c.slice(7));
        const destroyed = account.calls.filter((c) => c.startsWith('destroy')).map((c) => c.slice(8));
        expect(destroyed.sort()).toEqual(created.sort());
        for (const id of preExisting) expect(destroyed).not.toContain(id);
        for (const id of preExisting) expect(account.existing.has(id)).toBe(true);
        for (const a of destroyed) {
          for (const b of destroyed) {
            if (dependsOn(a as StepId, b as StepId, account.steps())) {
              expect(account.index(`destroy ${a}`)).toBeLessThan(account.index(`destroy ${b}`));
            }
          }
        }
      });
    }

    it('keeps what it created with rollback off, and the next run completes the stack', async () => {
      const account = new FakeAccount();
      account.failCreate = 'proxy';

      const first = failureOf(await up(account, { rollback: false }));

      expect(messageOf(first)).toBe('creating proxy: AWS said no');
      expect(first.rollback).toBeUndefined();
      expect(first.created.map((c) => c.step).sort()).toEqual([...account.existing].sort());
      expect(account.calls.some((c) => c.startsWith('destroy'))).toBe(false);
      const keptByFirstRun = [...account.existing];
      expect(keptByFirstRun.length).toBeGreaterThan(0);
      account.failCreate = undefined;
      const callsBefore = account.calls.length;
      await up(account);

      const secondRunCreates = account.calls.slice(callsBefore).filter((c) => c.startsWith('create'));
      expect(secondRunCreates.sort()).toEqual(IDS.filter((id) => !keptByFirstRun.includes(id)).map((id) => `create ${id}`).sort());
      expect(IDS.every((id) => account.existing.has(id))).toBe(true);
    });

    it('lists what it could not undo with the command that removes it', async () => {
      const account = new FakeAccount();
      account.failCreate = 'proxy';
      account.failDestroy = 'role';

      const run = failureOf(await up(account));

      expect(messageOf(run)).toBe('creating proxy: AWS said no');
      expect(run.rollback?.left).toContainEqual({
        step: 'role',
        title: 'role',
        id: 'role-id',
        reason: 'deleting role: still in use',
        manualDelete: 'aws delete-role',
      });
      expect(account.existing.has('role')).toBe(true);
      expect(account.existing.has('secret')).toBe(true);
    });
  });

  it('stops a rollback whose signal aborts: no new deletion starts, and each resource not deleted is left with its command', async () => {
    const account = new FakeAccount();
    account.failCreate = 'proxy';
    let started!: () => void;
    const deleting = new Promise<void>((r) => (started = r));
    account.holdDestroy = { step: 'role', started: () => started() };
    const rollbackAbort = new AbortController();

    const running = up(account, { rollbackSignal: rollbackAbort.signal });
    await deleting;
    const callsBeforeAbort = account.calls.length;
    rollbackAbort.abort('interrupt');
    const run = failureOf(await running);

    const { deleted = [], left = [] } = run.rollback ?? {};
    expect(account.calls.slice(callsBeforeAbort).filter((c) => c.startsWith('destroy'))).toEqual([]);
    expect([...deleted, ...left].map((r) => r.step).sort()).toEqual(run.created.map((r) => r.step).sort());
    expect(left).toContainEqual(expect.objectContaining({ step: 'role', reason: 'interrupted while deleting', manualDelete: 'aws delete-role' }));
    expect(left).toContainEqual(expect.objectContaining({ step: 'secret', manualDelete: 'aws delete-secret' }));
    expect(account.existing.has('secret')).toBe(true);
  });

  it('on an interrupt stops waiting, rolls back what the run created and ends as interrupted', async () => {
    const account = new FakeAccount();
    const abort = new AbortController();
    const { waiting } = holdClusterWait(account);

    const running = up(account, { abort });
    await waiting;
    abort.abort('interrupt');
    const run = failureOf(await running);

    expect(run.interrupted).toBe(true);
    expect(run.failure).toBeUndefined();
    expect(account.calls).toContain('destroy cluster');
    expect([...account.existing]).toEqual([]);
  });
});

describe('the step runner reporting what it does', () => {
  it('emits started, updating and done for a drifted step, in that order', async () => {
    const account = new FakeAccount();
    IDS.forEach((id) => account.existing.add(id));
    account.drifted.add('target-group');
    const events: StackEvent[] = [];

    await up(account, { events });

    const ofPool = events.filter((e) => 'step' in e && e.step === 'target-group').map((e) => e.type);
    expect(ofPool).toEqual(['step-started', 'step-updating', 'step-done']);
    expect(events).toContainEqual({
      type: 'step-updating',
      step: 'target-group',
      title: 'target-group',
      changes: [{ field: 'Setting', have: 'drifted', want: 'wanted' }],
    });
  });

  it('emits the failure with its cause, then the rollback of what it created, then each deletion', async () => {
    const account = new FakeAccount();
    account.existing.add('network');
    account.failCreate = 'cluster-sg';
    const events: StackEvent[] = [];

    await up(account, { events });

    const failed = events.find((e) => e.type === 'step-failed');
    expect(failed).toMatchObject({ step: 'cluster-sg', interrupted: false });
    expect((failed as { cause: Error }).cause.message).toBe('creating cluster-sg: AWS said no');
    const rollback = events.findIndex((e) => e.type === 'rollback-started');
    expect(rollback).toBeGreaterThan(events.indexOf(failed!));
    const deleted = events.slice(rollback).filter((e) => e.type === 'deleted').map((e) => (e as { resource: { step: StepId } }).resource.step);
    expect(deleted.sort()).toEqual(account.calls.filter((c) => c.startsWith('destroy')).map((c) => c.slice(8)).sort());
  });
});

describe('the step runner explaining a failure', () => {
  it('awaits the explanation of the failed step before it rolls anything back', async () => {
    const account = new FakeAccount();
    account.failCreate = 'target';
    const steps = account.steps();
    const abort = new AbortController();
    const ctx = stepContext({ signal: abort.signal });
    const plan = await planStack(ctx, steps);
    const explained: { step: StepId; destroyedSoFar: number }[] = [];

    const run = await runStack(ctx, {
      steps,
      plan,
      abort,
      rollback: true,
      emit: () => undefined,
      beforeRollback: async (step) => {
        await new Promise((r) => setTimeout(r, 5));
        explained.push({ step, destroyedSoFar: account.calls.filter((c) => c.startsWith('destroy')).length });
      },
    });

    expect(messageOf(run)).toBe('creating target: AWS said no');
    expect(explained).toEqual([{ step: 'target', destroyedSoFar: 0 }]);
    expect(account.calls).toContain('destroy proxy');
  });

  it('still rolls back and reports the original error when the explanation itself fails', async () => {
    const account = new FakeAccount();
    account.failCreate = 'proxy';
    const steps = account.steps();
    const abort = new AbortController();
    const ctx = stepContext({ signal: abort.signal });
    const plan = await planStack(ctx, steps);

    const run = await runStack(ctx, {
      steps,
      plan,
      abort,
      rollback: true,
      emit: () => undefined,
      beforeRollback: async () => {
        throw new Error('doctor could not read the proxy');
      },
    });

    expect(messageOf(run)).toBe('creating proxy: AWS said no');
    expect(account.calls).toContain('destroy role');
  });
});
