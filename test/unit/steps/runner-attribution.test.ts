import { describe, expect, it } from 'vitest';
import { CliError, ForeignResourceError } from '../../../src/errors.js';
import { planStack } from '../../../src/steps/plan.js';
import type { StepId } from '../../../src/steps/resources.js';
import { runStack, type StackRun } from '../../../src/steps/runner.js';
import type { AnyStep, BuildContext } from '../../../src/steps/step.js';
import { stepContext, TEST_RUN_ID } from '../support/step-context.js';

/** Three steps in a row: secret → role → proxy (the proxy needs the role, the role the secret). */
const NEEDS: Partial<Record<StepId, StepId[]>> = { secret: [], role: ['secret'], proxy: ['role'] };
const IDS = Object.keys(NEEDS) as StepId[];

/**
 * What a create call does on AWS and what its caller then sees:
 * - lost-answer: AWS creates it, the answer is lost, and the SDK's retry gets "already exists";
 * - unanswered: AWS creates it, and the call fails without an answer (reset, abandoned);
 * - refused: AWS refuses it and creates nothing;
 * - taken: someone else's resource (`by` its run id, or no run tag) has the name already.
 */
type CreateBehaviour =
  | { kind: 'lost-answer' }
  | { kind: 'unanswered' }
  | { kind: 'refused' }
  | { kind: 'taken'; by?: string; foreign?: boolean };

interface FakeResource {
  id: string;
  runId?: string;
  foreign?: boolean;
}

/** An account in memory whose creates misbehave as told; resources carry the run tag they were made with. */
class FakeAccount {
  readonly existing = new Map<StepId, FakeResource>();
  readonly calls: string[] = [];
  readonly behaviour = new Map<StepId, CreateBehaviour>();
  /** Drift an adopted resource still has (a rule its lost create call never added). */
  readonly unfinished = new Set<StepId>();
  /** A step whose resource cannot be read once its create was called. */
  unreadable?: StepId;

  steps(): AnyStep[] {
    return IDS.map((id) => {
      const step = {
        id,
        title: id,
        needs: NEEDS[id],
        owned: true,
        find: async () => {
          this.calls.push(`find ${id}`);
          if (this.unreadable === id && this.calls.includes(`create ${id}`)) throw new CliError(`reading ${id}: socket hang up`);
          const found = this.existing.get(id);
          if (found?.foreign) throw new ForeignResourceError(id, found.id, 'rdsproxy-setup:stack', 'unit-stack');
          return found && { id: found.id, runId: found.runId };
        },
        create: async (ctx: BuildContext) => {
          this.calls.push(`create ${id}`);
          const behaviour = this.behaviour.get(id);
          if (behaviour?.kind === 'refused') throw new CliError(`creating ${id}: AWS said no`);
          if (behaviour?.kind === 'taken') {
            this.existing.set(id, { id: `${id}-id`, runId: behaviour.by, foreign: behaviour.foreign });
            throw Object.assign(new Error(`${id} already exists`), { name: 'DBProxyAlreadyExistsFault' });
          }
          this.existing.set(id, { id: `${id}-id`, runId: ctx.runId });
          if (behaviour?.kind === 'lost-answer') throw Object.assign(new Error(`${id} already exists`), { name: 'DBProxyAlreadyExistsFault' });
          if (behaviour?.kind === 'unanswered') throw new CliError(`creating ${id}: socket hang up`);
          return { id: `${id}-id`, runId: ctx.runId };
        },
        drift: async () => (this.unfinished.has(id) ? [{ field: 'ingress tcp/5432', have: 'missing', want: 'from the proxy' }] : []),
        converge: async (_ctx: BuildContext, r: FakeResource) => {
          this.calls.push(`converge ${id}`);
          this.unfinished.delete(id);
          return r;
        },
        destroy: async () => {
          this.calls.push(`destroy ${id}`);
          this.existing.delete(id);
        },
        plannedId: () => `${id}-id`,
        manualDelete: () => `aws delete-${id}`,
        summary: (r: FakeResource) => ({ id: r.id, state: 'available' }),
      };
      return step as unknown as AnyStep;
    });
  }
}

async function up(account: FakeAccount, options: { rollback?: boolean | (() => boolean) } = {}): Promise<StackRun> {
  const abort = new AbortController();
  const steps = account.steps();
  const ctx = stepContext({ signal: abort.signal });
  const plan = await planStack(ctx, steps);
  return runStack(ctx, { steps, plan, abort, rollback: options.rollback ?? true, emit: () => undefined });
}

function failureOf(run: StackRun): Extract<StackRun, { ok: false }> {
  if (run.ok) throw new Error('the run succeeded');
  return run;
}

describe('the runner, when a create answers "already exists"', () => {
  it('takes a resource carrying this run\'s id as created by this run, and the run completes', async () => {
    const account = new FakeAccount();
    account.behaviour.set('role', { kind: 'lost-answer' });

    const run = await up(account);

    expect(run.ok && run.outcomes.map((o) => [o.step, o.action])).toEqual([
      ['secret', 'created'],
      ['role', 'created'],
      ['proxy', 'created'],
    ]);
    expect(account.existing.get('role')).toEqual({ id: 'role-id', runId: TEST_RUN_ID, foreign: undefined });
  });

  it('rolls back that resource with the rest when a later step fails', async () => {
    const account = new FakeAccount();
    account.behaviour.set('role', { kind: 'lost-answer' });
    account.behaviour.set('proxy', { kind: 'refused' });

    const run = failureOf(await up(account));

    expect(run.created.map((c) => c.step)).toEqual(['secret', 'role']);
    expect(account.calls).toContain('destroy role');
    expect([...account.existing.keys()]).toEqual([]);
  });

  it('finishes the adopted resource with what its lost create call never reached', async () => {
    const account = new FakeAccount();
    account.behaviour.set('role', { kind: 'lost-answer' });
    account.unfinished.add('role');

    const run = await up(account);

    expect(run.ok).toBe(true);
    expect(account.calls).toContain('converge role');
  });

  it('fails without journaling a resource of the stack that another run created, and never deletes it', async () => {
    const account = new FakeAccount();
    account.behaviour.set('role', { kind: 'taken', by: 'another-run' });

    const run = failureOf(await up(account));

    expect(run.failure?.step).toBe('role');
    expect((run.failure?.error as CliError).code).toBe('CreatedByAnotherRun');
    expect((run.failure?.error as Error).message).toContain('another run (another-run)');
    expect(run.created.map((c) => c.step)).toEqual(['secret']);
    expect(account.calls).not.toContain('destroy role');
    expect(account.existing.get('role')?.runId).toBe('another-run');
  });

  it('fails without journaling a resource of the stack that carries no run id (made by an earlier version)', async () => {
    const account = new FakeAccount();
    account.behaviour.set('role', { kind: 'taken' });

    const run = failureOf(await up(account));

    expect((run.failure?.error as Error).message).toContain('an earlier version of rdsproxy-setup or by hand');
    expect(account.calls).not.toContain('destroy role');
    expect(account.existing.has('role')).toBe(true);
  });

  it('fails without journaling a resource under the name that is not the stack\'s', async () => {
    const account = new FakeAccount();
    account.behaviour.set('role', { kind: 'taken', foreign: true });

    const run = failureOf(await up(account));

    expect(run.failure?.error).toBeInstanceOf(ForeignResourceError);
    expect(account.calls).not.toContain('destroy role');
    expect(account.existing.has('role')).toBe(true);
  });
});

describe('the runner, when a create call got no answer and the run failed', () => {
  it('looks the resource up by name before rolling back, and removes it since it carries this run\'s id', async () => {
    const account = new FakeAccount();
    account.behaviour.set('role', { kind: 'unanswered' });

    const run = failureOf(await up(account));

    expect(run.created.map((c) => c.step)).toEqual(['secret', 'role']);
    expect(run.rollback?.deleted.map((d) => d.step).sort()).toEqual(['role', 'secret']);
    expect([...account.existing.keys()]).toEqual([]);
  });

  it('finds nothing more to remove when the create was refused', async () => {
    const account = new FakeAccount();
    account.behaviour.set('role', { kind: 'refused' });

    const run = failureOf(await up(account));

    expect(run.rollback?.deleted.map((d) => d.step)).toEqual(['secret']);
    expect(run.rollback?.left).toEqual([]);
  });

  it('reports as possibly left, with the command that removes it by name, a resource it cannot look up', async () => {
    const account = new FakeAccount();
    account.behaviour.set('role', { kind: 'unanswered' });
    account.unreadable = 'role';

    const run = failureOf(await up(account));

    expect(run.rollback?.left).toEqual([
      {
        step: 'role',
        title: 'role',
        id: 'role-id',
        reason: 'its create call got no answer and it could not be looked up: reading role: socket hang up',
        manualDelete: 'rdsproxy-setup teardown --name unit-stack --region us-east-1',
      },
    ]);
  });

  it('keeps everything, the unanswered create\'s resource included, when asked after the run not to roll back', async () => {
    const account = new FakeAccount();
    account.behaviour.set('role', { kind: 'unanswered' });

    const run = failureOf(await up(account, { rollback: () => false }));

    expect(run.rollback).toBeUndefined();
    expect(run.created.map((c) => c.step)).toEqual(['secret', 'role']);
    expect(account.calls.filter((c) => c.startsWith('destroy'))).toEqual([]);
  });
});
