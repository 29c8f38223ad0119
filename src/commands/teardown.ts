import { deniedActionIn, missingPermissionHint } from '../aws/errors.js';
import type { RawGlobalOptions } from '../config/global-options.js';
import { finalSnapshotId } from '../config/names.js';
import { CliError, InterruptedError, UsageError } from '../errors.js';
import { destroyResources, type DestroyTarget } from '../steps/destroy.js';
import { readStack } from '../steps/plan.js';
import { keptSecret } from '../steps/secret.js';
import { STACK_STEPS } from '../steps/stack.js';
import type { KeptResource, ReadContext } from '../steps/step.js';
import { deleteUserSecretKept, findUserSecrets, userSecretManualDelete, type UserSecretFound } from '../steps/user-secrets.js';
import type { DestroyReport } from '../steps/destroy.js';
import { canPrompt, confirmByTyping } from '../ui/confirm.js';
import { commandContext, readContext } from './command-context.js';
import { handleInterrupts } from '../ui/interrupt.js';
import { stackProgress } from '../ui/stack-progress.js';

interface TeardownOptions {
  skipFinalSnapshot?: boolean;
  forceDeleteSecret?: boolean;
}

/** What teardown deletes: the resources a stack owns (not the VPC, not a reused subnet group). */
const OWNED_STEPS = STACK_STEPS.filter((s) => s.owned);

/** The database users' secrets go with the master's, in the same recovery window (or at once with --force-delete-secret). */
async function deleteUserSecrets(ctx: ReadContext, secrets: readonly UserSecretFound[], force: boolean, report: DestroyReport): Promise<void> {
  for (const secret of secrets) {
    try {
      const kept = await deleteUserSecretKept(ctx, secret, force);
      if (kept) report.kept.push(kept);
      else report.deleted.push({ step: 'secret', title: 'database user secret', id: secret.name });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      report.left.push({ step: 'secret', title: 'database user secret', id: secret.name, reason, manualDelete: userSecretManualDelete(ctx, secret) });
    }
  }
}

/** Why resources were left: a missing permission is named; anything else is worth another run. */
function leftHint(reasons: readonly string[], stack: string): string {
  const denied = reasons.map(deniedActionIn).find((action) => action !== undefined);
  if (denied) return missingPermissionHint(denied, 'teardown');
  return `Run \`rdsproxy-setup teardown --name ${stack}\` again, or remove them with the commands above.`;
}

export async function run(options: Record<string, unknown>): Promise<void> {
  const { skipFinalSnapshot = false, forceDeleteSecret = false } = options as TeardownOptions;
  const command = await commandContext(options as RawGlobalOptions);
  const { config, out } = command;
  if (!config.yes && !canPrompt()) {
    throw new UsageError(
      'teardown deletes resources and needs a typed confirmation, but there is no terminal to ask on.',
      'Pass --yes to confirm non-interactively.',
    );
  }
  const abort = new AbortController();
  const ctx = readContext(command, abort.signal);
  const stopHandling = handleInterrupts(abort, out, 'no new deletion starts; what is left stays for the next teardown');
  try {
    const reading = out.start(`reading stack ${config.stack} in ${config.region}`);
    // A resource with our name but not our tag stops teardown here, before anything is deleted.
    const plan = await readStack(ctx, OWNED_STEPS);
    reading.succeed(`read stack ${config.stack} in ${config.region}`);
    // A secret already in its recovery window was removed by an earlier teardown (or rollback):
    // it is reported as kept, not deleted again.
    const deletedDate = forceDeleteSecret ? undefined : ctx.resources.secret?.deletedDate;
    const alreadyKept: KeptResource[] = deletedDate ? [keptSecret(ctx, ctx.names.secret, deletedDate, true)] : [];
    const userSecrets = await findUserSecrets(ctx);
    for (const s of userSecrets) if (s.deletedDate && !forceDeleteSecret) alreadyKept.push(keptSecret(ctx, s.name, s.deletedDate, true));
    const liveUserSecrets = userSecrets.filter((s) => forceDeleteSecret || !s.deletedDate);
    const targets: DestroyTarget[] = [...plan.values()].flatMap(({ step, found }) =>
      found === undefined || (step.id === 'secret' && deletedDate) ? [] : [{ step, resource: found }],
    );
    if (targets.length === 0 && liveUserSecrets.length === 0) {
      out.result(
        () =>
          [
            `Nothing to delete: stack ${config.stack} has no resources in ${config.region}.`,
            ...alreadyKept.map((k) => `Kept ${k.kind} ${k.id}: ${k.detail}`),
          ].join('\n'),
        () => ({ stack: config.stack, deleted: [], kept: alreadyKept.map((k) => ({ kind: k.kind, id: k.id })), left: [] }),
      );
      return;
    }

    out.info('teardown will delete:');
    for (const t of [...targets].reverse()) out.info(`  ${t.step.title}: ${t.step.summary(t.resource).id}`);
    for (const secret of liveUserSecrets) out.info(`  database user secret: ${secret.name}`);
    if (ctx.resources.cluster) {
      out.info(
        skipFinalSnapshot
          ? 'No final snapshot (--skip-final-snapshot): the cluster data is lost.'
          : `Kept: final snapshot ${finalSnapshotId(config.stack, new Date())} (name fixed when the delete starts).`,
      );
    }
    if ((ctx.resources.secret && !deletedDate) || liveUserSecrets.length > 0) {
      out.info(forceDeleteSecret ? 'The secret is deleted at once (--force-delete-secret).' : 'Kept: the secret stays recoverable for 7 days.');
    }

    if (!config.yes) {
      out.close();
      const confirmed = await confirmByTyping(`Type the stack name (${config.stack}) to delete it:`, config.stack);
      if (!confirmed) throw new CliError('Not confirmed: nothing was deleted.');
    }

    const report = await destroyResources(ctx, targets, {
      options: { finalSnapshot: !skipFinalSnapshot, forceDeleteSecret },
      graph: STACK_STEPS,
      emit: stackProgress(out),
    });
    if (!abort.signal.aborted) await deleteUserSecrets(ctx, liveUserSecrets, forceDeleteSecret, report);
    report.kept.push(...alreadyKept);
    const document = {
      stack: config.stack,
      deleted: report.deleted.map(({ step, id }) => ({ step, id })),
      kept: report.kept.map((k) => ({ kind: k.kind, id: k.id })),
      left: report.left.map(({ step, id, reason, manualDelete }) => ({ step, id, reason, command: manualDelete })),
    };
    const failure = abort.signal.aborted
      ? new InterruptedError('Interrupted: teardown stopped; run it again to remove what is left.', document)
      : report.left.length > 0
        ? new CliError(`${report.left.length} resources of stack ${config.stack} were not deleted (listed above).`, {
            hint: leftHint(report.left.map((l) => l.reason), config.stack),
            details: document,
          })
        : undefined;
    // With --json a failed teardown's one document is the error's, which carries the same lists.
    if (!(failure && config.json)) {
      out.result(
        () =>
          [
            `Deleted ${report.deleted.length} resources of stack ${config.stack}.`,
            ...report.kept.map((k) => `Kept ${k.kind} ${k.id}: ${k.detail}`),
            ...report.left.map((l) => `Left ${l.step} ${l.id} (${l.reason}). Remove it with: ${l.manualDelete}`),
          ].join('\n'),
        () => document,
      );
    }
    if (failure) throw failure;
  } finally {
    stopHandling();
    out.close();
  }
}
