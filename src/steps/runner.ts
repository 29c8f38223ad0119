import { isAlreadyExists } from '../aws/errors.js';
import { CliError, ForeignResourceError, InterruptedError } from '../errors.js';
import { destroyResources, type DestroyReport, type DestroyTarget, type LeftResource } from './destroy.js';
import type { EmitStackEvent, StepAction, StepResource } from './events.js';
import { runGraph } from './graph.js';
import { setResource, type StackPlan } from './plan.js';
import type { Attributed, StackResources, StepId } from './resources.js';
import { startsAfterReady } from './dependencies.js';
import type { AnyStep, BuildContext, ResourceSummary, Step } from './step.js';

export interface StepOutcome {
  step: StepId;
  action: StepAction;
  resource: ResourceSummary;
}

/** How a run ended: every step done, or the failure, what this run created, and its rollback. */
export type StackRun =
  | { ok: true; outcomes: StepOutcome[] }
  | {
      ok: false;
      /** True when a Ctrl-C stopped the run, not a step's failure. */
      interrupted: boolean;
      /** The step whose failure stopped the run and its error; absent when only interrupted. */
      failure?: { step: StepId; error: unknown };
      /** What this run created, in the order it was created. */
      created: StepResource[];
      /** What was undone; absent when nothing was created or rollback was off (--no-rollback). */
      rollback?: DestroyReport;
    };

export interface RunStackOptions {
  steps: readonly AnyStep[];
  plan: StackPlan;
  /** ctx.signal belongs to this controller: a failure aborts the other steps' waits. */
  abort: AbortController;
  /**
   * False with --no-rollback: keep what a failed run created. A function is asked once the run
   * has stopped (a run that lost the stack's lease to another keeps everything for it).
   */
  rollback: boolean | (() => boolean);
  /** Stops the rollback (a Ctrl-C after a failure): no new deletion starts, waits end. */
  rollbackSignal?: AbortSignal;
  emit: EmitStackEvent;
  concurrency?: number;
  /** Awaited after a step failed and before rollback, while its resources still exist (to explain it). */
  beforeRollback?: (step: StepId, error: unknown) => Promise<void>;
}

/** At most four steps of the graph are ever ready together; the bound also spares API rate limits. */
const STEP_CONCURRENCY = 4;

/** Why the run was aborted: an interrupt, or a step's failure (the others stop waiting). */
export const ABORTED_BY_FAILURE = 'step-failed';

/**
 * A step runs in two parts: making its resource (find, then create or converge), then waiting
 * until it is ready. A step starts after its needs are ready, or made where it starts after their
 * create call (`startsAfterCreated`).
 */
interface StepPart {
  step: AnyStep;
  part: 'make' | 'wait';
}

function partWaitsFor(node: StepPart, other: StepPart, steps: readonly AnyStep[]): boolean {
  if (node.part === 'wait') return other.step === node.step && other.part === 'make';
  if (other.part === 'wait') return startsAfterReady(node.step.id, other.step.id, steps);
  return node.step.startsAfterCreated?.includes(other.step.id) ?? false;
}

/** The run a found resource was created by, from its run tag. */
function runIdOf(resource: StackResources[StepId]): string | undefined {
  return (resource as Attributed).runId;
}

/** A create said "already exists", and what has the name is not this run's: not ours to delete. */
function notThisRunsError(step: Step, ctx: BuildContext, found: StackResources[StepId], cause: unknown): CliError {
  const { id } = step.summary(found);
  const by = runIdOf(found);
  return new CliError(
    `creating ${step.title} ${id}: it was created meanwhile by ${by ? `another run (${by})` : 'an earlier version of rdsproxy-setup or by hand'}, not by this run (${ctx.runId}).`,
    {
      hint: 'Nothing of it was deleted. Another run may be changing this stack without its lease; run `status` once it has finished, then `up` again.',
      source: 'aws',
      code: 'CreatedByAnotherRun',
      cause,
    },
  );
}

/**
 * Runs the stack's steps, each as soon as its needs are ready (or created, where it may start
 * then): find (reusing the plan's read), then create or converge, then wait. A resource enters the
 * journal the moment its create call returns. On a failure or an interrupt, in-flight calls
 * finish, then what this run created is destroyed in reverse dependency order (unless rollback is
 * off); the result says what happened.
 */
export async function runStack(ctx: BuildContext, options: RunStackOptions): Promise<StackRun> {
  const { steps, plan, abort, emit } = options;
  const outcomes = new Map<StepId, StepOutcome>();
  const journal: DestroyTarget[] = [];
  /**
   * Steps whose create call went out but did not return a resource: AWS may have made it all the
   * same (a lost answer, an abandoned call). Before rollback they are looked up by name.
   */
  const unanswered = new Set<Step>();

  const made = new Map<StepId, { action: StepAction; current: StackResources[StepId] }>();
  const stepContext = ({ id, title }: Step): BuildContext => ({
    ...ctx,
    progress: (progress) => emit({ type: 'step-progress', step: id, title, progress }),
  });

  /**
   * Creates the step's resource. When the create says "already exists" (the SDK's retry after a
   * lost answer, or someone else), the resource is read by name: carrying this run's id it is
   * this run's (journaled, then finished by converge: a rule or policy the lost call never
   * reached); any other is not ours to delete, and the step fails without journaling it.
   */
  const createOwn = async (step: Step, stepCtx: BuildContext): Promise<StackResources[StepId]> => {
    unanswered.add(step);
    let created: StackResources[StepId];
    try {
      created = await step.create(stepCtx);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      // A find that fails leaves the step unanswered: it is looked up again before rollback.
      const found = await step.find(stepCtx);
      if (found === undefined) throw err;
      unanswered.delete(step);
      if (runIdOf(found) !== ctx.runId) throw notThisRunsError(step, ctx, found, err);
      if (step.owned) journal.push({ step, resource: found });
      const changes = (await step.drift?.(stepCtx, found)) ?? [];
      return changes.length > 0 && step.converge ? step.converge(stepCtx, found, changes) : found;
    }
    unanswered.delete(step);
    // A step that owns nothing (it edits another step's resource) has nothing to undo.
    if (step.owned) journal.push({ step, resource: created });
    return created;
  };

  const make = async (step: Step) => {
    const { id, title } = step;
    emit({ type: 'step-started', step: id, title });
    const stepCtx = stepContext(step);
    const entry = plan.get(id);
    let current = entry?.searched ? entry.found : await step.find(stepCtx);
    let action: StepAction = 'exists';
    if (current === undefined) {
      current = await createOwn(step, stepCtx);
      action = 'created';
    } else {
      const changes = entry?.searched ? entry.changes : ((await step.drift?.(stepCtx, current)) ?? []);
      if (changes.length > 0 && step.converge) {
        emit({ type: 'step-updating', step: id, title, changes });
        current = await step.converge(stepCtx, current, changes);
        action = 'updated';
      }
    }
    setResource(ctx, id, current);
    made.set(id, { action, current });
  };

  const wait = async (step: Step) => {
    const { id, title } = step;
    let { action, current } = made.get(id)!;
    if (step.wait) current = await step.wait(stepContext(step), current);
    setResource(ctx, id, current);
    const resource = step.summary(current);
    outcomes.set(id, { step: id, action, resource });
    emit({ type: 'step-done', step: id, title, action, resource });
  };

  const runPart = async ({ step, part }: StepPart) => {
    try {
      await (part === 'make' ? make(step) : wait(step));
    } catch (err) {
      emit({ type: 'step-failed', step: step.id, title: step.title, cause: err, interrupted: err instanceof InterruptedError });
      if (!abort.signal.aborted) abort.abort(ABORTED_BY_FAILURE);
      throw err;
    }
  };

  const parts = steps.flatMap((step): StepPart[] => [
    { step, part: 'make' },
    { step, part: 'wait' },
  ]);
  const run = await runGraph(parts, runPart, {
    waitsFor: (node, other) => partWaitsFor(node, other, steps),
    concurrency: options.concurrency ?? STEP_CONCURRENCY,
    stopOnFailure: true,
  });
  const interrupted = abort.signal.aborted && abort.signal.reason !== ABORTED_BY_FAILURE;
  if (run.failed.length === 0 && !interrupted) return { ok: true, outcomes: steps.map((s) => outcomes.get(s.id)!) };

  // The first real failure explains the run; the others were stopped because of it.
  const failed = run.failed.find((f) => !(f.error instanceof InterruptedError));
  const failure = failed ? { step: failed.id.step.id, error: failed.error } : undefined;
  // The hook reports its own failures; the rollback happens whatever it does.
  if (failure && options.beforeRollback) await options.beforeRollback(failure.step, failure.error).catch(() => undefined);
  // Rollback gets its own signal: the run's is aborted; a Ctrl-C after the failure aborts this one.
  const cleanupCtx: BuildContext = { ...ctx, signal: options.rollbackSignal ?? new AbortController().signal };
  const unchecked = await journalUnanswered(cleanupCtx, [...unanswered], journal);
  const created = journal.map(({ step, resource }) => ({ step: step.id, title: step.title, id: step.summary(resource).id }));
  const rollingBack = typeof options.rollback === 'function' ? options.rollback() : options.rollback;
  if (!rollingBack || (journal.length === 0 && unchecked.length === 0)) return { ok: false, interrupted, failure, created };

  emit({ type: 'rollback-started', resources: created });
  // No final snapshot of a cluster made seconds ago; the secret stays recoverable, and the next
  // `up` restores and reuses it.
  const rollback = await destroyResources(cleanupCtx, journal, {
    options: { finalSnapshot: false, forceDeleteSecret: false },
    graph: steps,
    emit,
  });
  rollback.left.push(...unchecked);
  return { ok: false, interrupted, failure, created, rollback };
}

/**
 * Looks up by name the resource of each step whose create call did not answer, and journals the
 * ones carrying this run's id: AWS made them, so the rollback removes them. One that cannot be
 * read is reported as possibly left, with the command that finds and removes it by name.
 */
async function journalUnanswered(ctx: BuildContext, steps: readonly Step[], journal: DestroyTarget[]): Promise<LeftResource[]> {
  const unchecked: LeftResource[] = [];
  for (const step of steps.filter((s) => s.owned)) {
    try {
      const found = await step.find(ctx);
      if (found !== undefined && runIdOf(found) === ctx.runId) journal.push({ step, resource: found });
    } catch (err) {
      // Someone else's under our name: not ours to delete.
      if (err instanceof ForeignResourceError) continue;
      unchecked.push({
        step: step.id,
        title: step.title,
        id: step.plannedId(ctx),
        reason: `its create call got no answer and it could not be looked up: ${err instanceof Error ? err.message : String(err)}`,
        manualDelete: `rdsproxy-setup teardown --name ${ctx.config.stack} --region ${ctx.config.region}`,
      });
    }
  }
  return unchecked;
}
