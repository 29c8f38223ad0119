import { describe, expect, it } from 'vitest';
import { CliError, InterruptedError } from '../../../src/errors.js';
import { planStack } from '../../../src/steps/plan.js';
import type { StepId } from '../../../src/steps/resources.js';
import { runStack } from '../../../src/steps/runner.js';
import { dependsOn } from '../../../src/steps/dependencies.js';
import type { AnyStep } from '../../../src/steps/step.js';
import { Output } from '../../../src/ui/output.js';
import { stepContext } from '../support/step-context.js';

/** The graph of DESIGN.md section 1, written out here as the specification the runner obeys. */
const NEEDS: Record<StepId, StepId[]> = {
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
const IDS = Object.keys(NEEDS) as StepId[];

/** An account in memory: which resources exist, and every call made, in order. */
class FakeAccount {
  readonly existing = new Set<StepId>();
  readonly calls: string[] = [];
  failCreate?: StepId;
  failDestroy?: StepId;
  drifted = new Set<StepId>();
  /** A wait that does not end until released (to observe concurrency and interrupts). */
  holdWait?: { step: StepId; release: Promise<void>; started: () => void };

  steps(): AnyStep[] {
    return IDS.map((id) => {
      const step = {
        id,
        title: id,
        needs: NEEDS[id],
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
        drift: async () => (this.drifted.has(id) ? [`${id} drifted`] : []),
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
        destroy: async () => {
          this.calls.push(`destroy ${id}`);
          if (this.failDestroy === id) throw new CliError(`deleting ${id}: still in use`);
          this.existing.delete(id);
        },
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

function quietOutput(lines: string[] = []): Output {
  return Output.plain({ json: false, verbose: false, stderrWrite: (l) => lines.push(l) });
}

async function up(account: FakeAccount, options: { rollback?: boolean; abort?: AbortController; lines?: string[] } = {}) {
  const abort = options.abort ?? new AbortController();
  const steps = account.steps();
  const ctx = stepContext({ signal: abort.signal });
  const plan = await planStack(ctx, steps, { checkDrift: true });
  return runStack(ctx, { steps, plan, abort, rollback: options.rollback ?? true, out: quietOutput(options.lines) });
}

describe('the step runner', () => {
  it('creates every step of an empty stack, each only after the steps it needs are ready', async () => {
    const account = new FakeAccount();

    const outcomes = await up(account);

    expect(outcomes.map((o) => o.action)).toEqual(IDS.map(() => 'created'));
    for (const id of IDS) {
      for (const need of NEEDS[id]) expect(account.index(`create ${id}`)).toBeGreaterThan(account.index(`ready ${need}`));
    }
  });

  it('creates the proxy while the cluster is still being built', async () => {
    const account = new FakeAccount();
    let release!: () => void;
    let clusterWaiting!: () => void;
    const waiting = new Promise<void>((r) => (clusterWaiting = r));
    account.holdWait = { step: 'cluster', release: new Promise((r) => (release = r)), started: () => clusterWaiting() };

    const run = up(account);
    await waiting;
    await new Promise((r) => setTimeout(r, 20));
    const proxyCreatedDuringClusterWait = account.calls.includes('create proxy');
    release();
    await run;

    expect(proxyCreatedDuringClusterWait).toBe(true);
  });

  it('changes nothing on a complete stack and reports every resource as existing', async () => {
    const account = new FakeAccount();
    IDS.forEach((id) => account.existing.add(id));

    const outcomes = await up(account);

    expect(outcomes.every((o) => o.action === 'exists')).toBe(true);
    expect(account.calls.filter((c) => /^(create|converge|destroy)/.test(c))).toEqual([]);
  });

  it('repairs a drifted resource and reports it as updated', async () => {
    const account = new FakeAccount();
    IDS.forEach((id) => account.existing.add(id));
    account.drifted.add('target-group');

    const outcomes = await up(account);

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

        const run = up(account);

        await expect(run).rejects.toThrow(`creating ${failing}: AWS said no`);
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

      await expect(up(account, { rollback: false })).rejects.toThrow('creating proxy');
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
      const lines: string[] = [];

      await expect(up(account, { lines })).rejects.toThrow('creating proxy');

      expect(lines.join('\n')).toContain('Could not undo role role-id (deleting role: still in use). Remove it with: aws delete-role');
      expect(account.existing.has('role')).toBe(true);
      expect(account.existing.has('secret')).toBe(true);
    });
  });

  it('on an interrupt stops waiting, rolls back what the run created and ends as interrupted', async () => {
    const account = new FakeAccount();
    const abort = new AbortController();
    let clusterWaiting!: () => void;
    const waiting = new Promise<void>((r) => (clusterWaiting = r));
    account.holdWait = { step: 'cluster', release: new Promise(() => undefined), started: () => clusterWaiting() };

    const run = up(account, { abort });
    await waiting;
    abort.abort('interrupt');

    await expect(run).rejects.toBeInstanceOf(InterruptedError);
    expect(account.calls).toContain('destroy cluster');
    expect([...account.existing]).toEqual([]);
  });
});

describe('the step runner explaining a failure', () => {
  it('prints the explanation of the failed step before it rolls anything back', async () => {
    const account = new FakeAccount();
    account.failCreate = 'target';
    const lines: string[] = [];
    const steps = account.steps();
    const abort = new AbortController();
    const ctx = stepContext({ signal: abort.signal });
    const plan = await planStack(ctx, steps, { checkDrift: true });
    const explained: StepId[] = [];
    const out = Output.plain({ json: false, verbose: false, stderrWrite: (l) => lines.push(l) });

    const run = runStack(ctx, {
      steps,
      plan,
      abort,
      rollback: true,
      out,
      explain: async (step) => {
        explained.push(step);
        return `✖ proxy.targets: target unavailable (destroyed so far: ${account.calls.filter((c) => c.startsWith('destroy')).length})`;
      },
    });

    await expect(run).rejects.toThrow('creating target');
    expect(explained).toEqual(['target']);
    expect(lines.join('\n')).toContain('✖ proxy.targets: target unavailable (destroyed so far: 0)');
  });

  it('still rolls back and reports the original error when the explanation itself fails', async () => {
    const account = new FakeAccount();
    account.failCreate = 'proxy';
    const steps = account.steps();
    const abort = new AbortController();
    const ctx = stepContext({ signal: abort.signal });
    const plan = await planStack(ctx, steps, { checkDrift: true });

    const run = runStack(ctx, {
      steps,
      plan,
      abort,
      rollback: true,
      out: quietOutput(),
      explain: async () => {
        throw new Error('doctor could not read the proxy');
      },
    });

    await expect(run).rejects.toThrow('creating proxy: AWS said no');
    expect(account.calls).toContain('destroy role');
  });
});
