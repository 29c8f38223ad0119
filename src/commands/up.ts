import { upConfig, type RawUpOptions } from '../config/up-config.js';
import type { RawGlobalOptions } from '../config/global-options.js';
import { INTERRUPT_GRACE_MS } from '../config/timing.js';
import { checksExplaining } from '../doctor/failure-checks.js';
import { CliError, ExitCode, InterruptedError } from '../errors.js';
import { upClients, type RawClientOptions } from '../config/grant-options.js';
import { stackOutputs } from '../steps/outputs.js';
import type { DestroyReport } from '../steps/destroy.js';
import { planStack, type StackPlan } from '../steps/plan.js';
import type { StepId } from '../steps/resources.js';
import { acquireStackLease, checkStackLease, releaseStackLease, type HeldLease } from '../lease/stack-lease.js';
import { runStack, type StackRun } from '../steps/runner.js';
import type { BuildContext } from '../steps/step.js';
import { STACK_STEPS } from '../steps/stack.js';
import { renderChanges } from '../ui/changes.js';
import { doctorHint } from '../ui/doctor-hint.js';
import { renderKept, renderRollback } from '../ui/failed-run.js';
import { handleInterrupts } from '../ui/interrupt.js';
import type { Output } from '../ui/output.js';
import { stackProgress } from '../ui/stack-progress.js';
import { renderOutputs, renderStackTable, type StackRow } from '../ui/stack-report.js';
import { buildContext, commandContext, leaseSettings, type CommandContext } from './command-context.js';
import { renderGrant, upClientJson } from '../ui/client-report.js';
import { checkUpClients, grantUpClients } from './up-clients.js';
import { grantStackFunction } from './stack-function.js';
import { clientSteps } from '../steps/client-steps.js';
import { readClientPackage } from '../lambda/function-package.js';

/** Whether running the plan writes anything: a resource to create or a change to apply. */
function changesAnything(plan: StackPlan): boolean {
  return [...plan.values()].some((entry) => entry.found === undefined || entry.changes.length > 0);
}
import { usersToMigrate } from '../steps/user-policies.js';
import { migrationNote } from '../ui/user-report.js';

/** --dry-run: what exists, and what would be created or repaired. */
function planRows(plan: StackPlan, ctx: BuildContext): StackRow[] {
  return [...plan.values()].map(({ step, found, changes }) => {
    if (found === undefined) return { step: step.id, id: step.plannedId(ctx), action: 'planned', state: 'to create' };
    const summary = step.summary(found);
    return changes.length > 0
      ? { step: step.id, ...summary, action: 'planned', state: `to update: ${renderChanges(changes)}` }
      : { step: step.id, ...summary, action: 'exists' };
  });
}

function nextCommands(stack: string, withLambda: boolean): string {
  return [
    'Next:',
    ...(withLambda ? [`  rdsproxy-setup connect --name ${stack} --from-lambda               # the query from the stack's function, inside the VPC`] : []),
    `  rdsproxy-setup connect --name ${stack} --via <tunnel host:port>   # IAM token + TLS through the proxy`,
    `  rdsproxy-setup connect --name ${stack} --print-snippet            # the code for your application`,
    `  rdsproxy-setup doctor --name ${stack}                             # check every hop`,
  ].join('\n');
}

/**
 * Before rollback, while the failed step's resources still exist: an unhealthy target is
 * explained by the doctor's checks. The explanation is a courtesy: its own failure is only noted.
 */
async function explainFailure(command: Pick<CommandContext, 'out' | 'clients' | 'config'>, proxyName: string, step: StepId): Promise<void> {
  if (step !== 'target') return;
  const { out, clients, config } = command;
  const activity = out.start(`looking for the reason ${step} failed`);
  try {
    // Loaded only when a target is unhealthy.
    const [{ explainTargetHealth }, { renderChecks }] = await Promise.all([
      import('../doctor/explain-target-health.js'),
      import('../ui/doctor-report.js'),
    ]);
    const checks = await explainTargetHealth(clients, config, proxyName);
    if (checks.length === 0) {
      activity.note(`no further explanation for ${step}`);
      return;
    }
    activity.succeed(`why ${step} failed:`);
    for (const line of renderChecks(checks).split('\n')) out.info(line);
  } catch (err) {
    activity.note(`could not explain the failure of ${step}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The step's own error, with the doctor checks that explain it added to its hint. */
function withDoctorHint(cause: CliError, stack: string): string | undefined {
  const checks = checksExplaining(cause);
  if (checks === undefined) return cause.hint;
  return [cause.hint, doctorHint(stack, checks)].filter(Boolean).join(' ');
}

/** What a rollback did, as `--json` reports it: resources named as `status` names them. */
function rollbackDetails(report: DestroyReport) {
  return {
    deleted: report.deleted.map(({ step, id }) => ({ step, id })),
    left: report.left.map(({ step, id, manualDelete }) => ({ step, id, command: manualDelete })),
  };
}

/**
 * Shows what became of a failed run's resources and returns the error `up` exits with.
 * `rollbackInterrupted`: a Ctrl-C came after the failure and stopped the rollback.
 */
function failedRun(run: Extract<StackRun, { ok: false }>, stack: string, out: Output, rollbackInterrupted: boolean): CliError {
  if (run.rollback) renderRollback(run.rollback, out);
  else renderKept(run.created, stack, out);
  const details = run.rollback ? { rollback: rollbackDetails(run.rollback) } : undefined;
  if (run.interrupted) return new InterruptedError('Interrupted: `up` stopped; see above for what was rolled back.', details);
  if (rollbackInterrupted) {
    return new InterruptedError('Interrupted: the rollback stopped; what it did not undo is listed above with the commands that remove it.', details);
  }
  const cause = run.failure?.error;
  if (cause instanceof CliError) {
    const { code, source, exitCode } = cause;
    return new CliError(cause.message, { hint: withDoctorHint(cause, stack), code, source, exitCode, cause, details });
  }
  return new CliError(`up failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause, details });
}

export async function run(options: Record<string, unknown>): Promise<void> {
  // Every option is validated before the first AWS call: bad input exits 2 having touched nothing.
  const settings = upConfig(options as RawUpOptions);
  const takeOver = options.takeOverLease === true;
  const grants = upClients(options as RawClientOptions);
  const withLambda = options.withLambda === true;
  const command = await commandContext(options as RawGlobalOptions);
  const { config, out, clients } = command;
  // --with-lambda: the stack's own function and its role, deployed from the package this CLI ships.
  const steps = withLambda ? [...STACK_STEPS, ...clientSteps(await readClientPackage())] : STACK_STEPS;
  const abort = new AbortController();
  let ctx = buildContext(command, settings, abort.signal);
  const lease = leaseSettings(command);
  let held: HeldLease | undefined;
  const takeLease = async () => {
    if (held) return;
    held = await acquireStackLease(lease, 'up', { takeOver });
    // Another run that took the lease over stops this one, which keeps what it made for that run.
    const lost = held.lost;
    lost.addEventListener('abort', () => abort.abort(lost.reason), { once: true });
  };
  // A Ctrl-C once the run has failed stops the rollback instead.
  const rollbackAbort = new AbortController();
  const stopHandling = handleInterrupts(out, {
    onFirst: () => {
      if (!abort.signal.aborted) {
        abort.abort('interrupt');
        return 'rolling back what this run created';
      }
      rollbackAbort.abort('interrupt');
      return 'stopping the rollback; what is left is listed with the commands that remove it';
    },
    abandonCalls: () => clients.abortCallsInFlight(INTERRUPT_GRACE_MS),
  });
  try {
    // Reads only, before the lease is taken (its first write): another run holding the stack, a
    // foreign resource or a VPC with one zone stops `up` with nothing written (docs/decisions.md).
    if (!settings.dryRun) await checkStackLease(lease, { takeOver });
    const reading = out.start(`reading stack ${config.stack} in ${config.region}`);
    let plan = await planStack(ctx, steps);
    await checkUpClients(ctx, grants);
    // A complete stack with nothing to repair is only read (waits included): no lease, no write
    // (unless --lambda grants, which take it before their first write).
    if (!settings.dryRun && changesAnything(plan)) {
      await takeLease();
      // The plan the run acts on is read again under the lease: another run may have changed the
      // stack since the first read.
      ctx = buildContext(command, settings, abort.signal);
      plan = await planStack(ctx, steps);
    }
    reading.succeed(`read stack ${config.stack} in ${config.region}`);

    if (settings.dryRun) {
      const rows = planRows(plan, ctx);
      out.result(
        () => `Plan for stack ${config.stack} (--dry-run: nothing was changed)\n\n${renderStackTable(rows)}`,
        () => ({ stack: config.stack, region: config.region, resources: rows, outputs: {} }),
      );
      return;
    }

    const run = await runStack(ctx, {
      steps,
      plan,
      abort,
      rollback: () => settings.rollback && !held?.lost.aborted,
      rollbackSignal: rollbackAbort.signal,
      emit: stackProgress(out),
      beforeRollback: (step) => explainFailure({ config, out, clients }, ctx.names.proxy, step),
    });
    if (!run.ok && held?.lost.aborted) {
      renderKept(run.created, config.stack, out);
      throw held.lost.reason;
    }
    if (!run.ok) throw failedRun(run, config.stack, out, rollbackAbort.signal.aborted);
    const granted = [
      ...(withLambda ? await grantStackFunction(command, ctx, takeLease) : []),
      ...(await grantUpClients(command, ctx, grants, takeLease)),
    ];
    // Before the result: a lease that cannot be released for want of a permission fails the run.
    if (held) await releaseStackLease(lease, held, { raiseDenied: true });
    const rows: StackRow[] = run.outcomes.map((o) => ({ step: o.step, ...o.resource, action: o.action }));
    const outputs = stackOutputs(ctx.resources, settings.masterUser);
    const unchanged = run.outcomes.every((o) => o.action === 'exists');
    for (const { user, mode } of usersToMigrate(plan.get('role')?.changes ?? [], settings.auth)) out.info(migrationNote(user, mode, config.stack));
    out.result(
      () =>
        [
          unchanged ? `Stack ${config.stack} is complete: nothing to change.` : `Stack ${config.stack} is ready.`,
          '',
          renderStackTable(rows),
          '',
          renderOutputs(outputs),
          '',
          nextCommands(config.stack, withLambda),
          ...granted.flatMap((g) => ['', renderGrant(config.stack, g.result, g.checks)]),
        ].join('\n'),
      () => ({
        stack: config.stack,
        region: config.region,
        resources: rows,
        outputs,
        ...(granted.length > 0 ? { clients: granted.map((g) => upClientJson(g.result, g.checks)) } : {}),
      }),
    );
    if (granted.some((g) => g.checks.some((c) => c.status === 'fail'))) process.exitCode = ExitCode.failure;
  } finally {
    if (held) await releaseStackLease(lease, held);
    stopHandling();
    out.close();
  }
}
