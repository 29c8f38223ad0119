import { CliError, InterruptedError } from '../errors.js';
import type { Output } from '../ui/output.js';
import { destroyResources, type DestroyReport, type DestroyTarget } from './destroy.js';
import { runGraph } from './graph.js';
import { asStep, setResource, summarize, type StackPlan } from './plan.js';
import type { StepId } from './resources.js';
import { dependsOn } from './dependencies.js';
import type { AnyStep, ResourceSummary, StepContext } from './step.js';

export type StepAction = 'created' | 'exists' | 'updated' | 'planned';

export interface StepOutcome {
  step: StepId;
  action: StepAction;
  resource: ResourceSummary;
}

export interface RunStackOptions {
  steps: readonly AnyStep[];
  plan: StackPlan;
  /** ctx.signal belongs to this controller: a failure aborts the other steps' waits. */
  abort: AbortController;
  /** False with --no-rollback: keep what a failed run created. */
  rollback: boolean;
  out: Output;
  concurrency?: number;
  /**
   * Explains a failed step while its resources still exist (before rollback), e.g. the doctor's
   * checks for an unhealthy target. Returns lines to print, or nothing.
   */
  explain?: (step: StepId, error: unknown) => Promise<string | undefined>;
}

/** At most four steps of the graph are ever ready together; the bound also spares API rate limits. */
const STEP_CONCURRENCY = 4;

/** Why the run was aborted: an interrupt, or a step's failure (the others stop waiting). */
export const ABORTED_BY_FAILURE = 'step-failed';

/**
 * Runs the stack's steps, each as soon as its needs are done: find (reusing the plan's read),
 * then create or converge, then wait. A resource enters the journal the moment its create call
 * returns. On a failure or an interrupt, in-flight calls finish, then what this run created is
 * destroyed in reverse dependency order (unless rollback is off) and the error is rethrown.
 */
export async function runStack(ctx: StepContext, options: RunStackOptions): Promise<StepOutcome[]> {
  const { steps, plan, out, abort } = options;
  const outcomes = new Map<StepId, StepOutcome>();
  const journal: DestroyTarget[] = [];

  const ensure = async (step: AnyStep) => {
    const activity = out.start(step.title);
    const stepCtx: StepContext = { ...ctx, progress: (text) => activity.update(`${step.title}: ${text}`) };
    const s = asStep(step);
    const entry = plan.get(step.id);
    try {
      let current = entry?.searched ? entry.found : await s.find(stepCtx);
      let action: StepAction = 'exists';
      if (current === undefined) {
        current = await s.create(stepCtx);
        journal.push({ step, resource: current });
        action = 'created';
      } else {
        const drift = entry?.searched ? entry.drift : ((await s.drift?.(stepCtx, current)) ?? []);
        if (drift.length > 0 && s.converge) {
          activity.update(`${step.title}: repairing ${drift.join('; ')}`);
          current = await s.converge(stepCtx, current, drift);
          action = 'updated';
        }
      }
      setResource(ctx, step.id, current);
      if (s.wait) current = await s.wait(stepCtx, current);
      setResource(ctx, step.id, current);
      const resource = s.summary(current);
      outcomes.set(step.id, { step: step.id, action, resource });
      activity.succeed(`${step.title} ${resource.id} ${action}`);
    } catch (err) {
      if (err instanceof InterruptedError) activity.note(`${step.title} stopped`);
      else activity.fail(`${step.title}: ${err instanceof Error ? err.message : String(err)}`);
      if (!abort.signal.aborted) abort.abort(ABORTED_BY_FAILURE);
      throw err;
    }
  };

  const run = await runGraph(steps, ensure, {
    waitsFor: (node, other) => dependsOn(node.id, other.id, steps),
    concurrency: options.concurrency ?? STEP_CONCURRENCY,
    stopOnFailure: true,
  });
  const interrupted = abort.signal.aborted && abort.signal.reason !== ABORTED_BY_FAILURE;
  if (run.failed.length === 0 && !interrupted) return steps.map((s) => outcomes.get(s.id)!);

  // The first real failure explains the run; the others were stopped because of it.
  const failure = run.failed.find((f) => !(f.error instanceof InterruptedError));
  const cause = failure?.error;
  if (failure && options.explain) await printExplanation(options.explain, failure.id.id, cause, out);
  const created = journal.map((j) => `${j.step.title} ${summarize(j.step, j.resource).id}`);
  if (!options.rollback || journal.length === 0) {
    if (journal.length > 0) {
      out.warn(`Kept what this run created (--no-rollback): ${created.join(', ')}.`);
      out.info(`Run \`rdsproxy-setup up --name ${ctx.config.stack}\` to finish the stack, or \`teardown\` to remove it.`);
    }
    throw failureError(cause, interrupted);
  }
  out.warn(`Rolling back what this run created (${journal.length}): ${created.join(', ')}.`);
  // Rollback gets its own signal: the run's is aborted. No final snapshot of a cluster made
  // seconds ago; the secret stays recoverable, and the next `up` restores and reuses it.
  const report = await destroyResources(
    { ...ctx, signal: new AbortController().signal },
    journal,
    { finalSnapshot: false, forceDeleteSecret: false },
    out,
    steps,
  );
  reportRollback(report, out);
  throw failureError(cause, interrupted);
}

async function printExplanation(
  explain: NonNullable<RunStackOptions['explain']>,
  step: StepId,
  error: unknown,
  out: Output,
): Promise<void> {
  const activity = out.start(`looking for the reason ${step} failed`);
  try {
    const explanation = await explain(step, error);
    if (!explanation) {
      activity.note(`no further explanation for ${step}`);
      return;
    }
    activity.succeed(`why ${step} failed:`);
    for (const line of explanation.split('\n')) out.info(line);
  } catch (err) {
    // The explanation is a courtesy: its own failure must not hide the real error.
    activity.note(`could not explain the failure of ${step}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function reportRollback(report: DestroyReport, out: Output): void {
  if (report.deleted.length > 0) out.info(`Rolled back: ${report.deleted.map((d) => d.id).join(', ')}.`);
  for (const kept of report.kept) out.info(`Kept ${kept.kind} ${kept.id}: ${kept.detail}`);
  for (const left of report.left) {
    out.warn(`Could not undo ${left.step} ${left.id} (${left.reason}). Remove it with: ${left.manualDelete}`);
  }
}

function failureError(cause: unknown, interrupted: boolean): CliError {
  if (interrupted) return new InterruptedError('Interrupted: `up` stopped; see above for what was rolled back.');
  if (cause instanceof CliError) return cause;
  return new CliError(`up failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
}
