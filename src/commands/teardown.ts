import { deniedActionIn, missingPermissionHint } from '../aws/errors.js';
import type { RawGlobalOptions } from '../config/global-options.js';
import { finalSnapshotId } from '../config/names.js';
import { INTERRUPT_GRACE_MS } from '../config/timing.js';
import { CliError, InterruptedError, UsageError } from '../errors.js';
import { destroyResources, type DestroyTarget } from '../steps/destroy.js';
import { acquireStackLease, checkStackLease, releaseStackLease, type HeldLease } from '../lease/stack-lease.js';
import { readStack, type StackPlan } from '../steps/plan.js';
import { keptSecret } from '../steps/secret.js';
import { STACK_STEPS } from '../steps/stack.js';
import { clientSteps } from '../steps/client-steps.js';
import type { KeptResource, ReadContext } from '../steps/step.js';
import { deleteUserSecretKept, findUserSecrets, userSecretManualDelete, type UserSecretFound } from '../steps/user-secrets.js';
import type { DestroyReport } from '../steps/destroy.js';
import { canPrompt, confirmByTyping } from '../ui/confirm.js';
import { commandContext, leaseSettings, readContext } from './command-context.js';
import { handleInterrupts } from '../ui/interrupt.js';
import { renderTeardownLeft } from '../ui/left-resources.js';
import { stackProgress } from '../ui/stack-progress.js';
import { deleteStackClientGroup, readStackClients, revokeStackClients } from './teardown-clients.js';

interface TeardownOptions {
  skipFinalSnapshot?: boolean;
  forceDeleteSecret?: boolean;
  takeOverLease?: boolean;
}

/**
 * What teardown deletes: the resources a stack owns (not the VPC, not a reused subnet group), and
 * its own function with its role (`up --with-lambda`), which is revoked first like every client.
 */
const OWNED_STEPS = [...STACK_STEPS.filter((s) => s.owned), ...clientSteps()];
const GRAPH = [...STACK_STEPS, ...clientSteps()];

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

/** What teardown deletes of what it read, and the secret an earlier teardown (or rollback) left in its recovery window. */
function teardownTargets(ctx: ReadContext, plan: StackPlan, forceDeleteSecret: boolean) {
  // That secret is reported as kept, not deleted again.
  const deletedDate = forceDeleteSecret ? undefined : ctx.resources.secret?.deletedDate;
  const alreadyKept: KeptResource[] = deletedDate ? [keptSecret(ctx, ctx.names.secret, deletedDate, true)] : [];
  const targets: DestroyTarget[] = [...plan.values()].flatMap(({ step, found }) =>
    found === undefined || (step.id === 'secret' && deletedDate) ? [] : [{ step, resource: found }],
  );
  return { targets, alreadyKept, deletedDate };
}

export async function run(options: Record<string, unknown>): Promise<void> {
  const { skipFinalSnapshot = false, forceDeleteSecret = false, takeOverLease: takeOver = false } = options as TeardownOptions;
  const command = await commandContext(options as RawGlobalOptions);
  const { config, out } = command;
  if (!config.yes && !canPrompt()) {
    throw new UsageError(
      'teardown deletes resources and needs a typed confirmation, but there is no terminal to ask on.',
      'Pass --yes to confirm non-interactively.',
    );
  }
  const abort = new AbortController();
  let ctx = readContext(command, abort.signal);
  const lease = leaseSettings(command);
  let held: HeldLease | undefined;
  const stopHandling = handleInterrupts(out, {
    onFirst: () => {
      abort.abort('interrupt');
      return 'no new deletion starts; what is left stays for the next teardown';
    },
    abandonCalls: () => command.clients.abortCallsInFlight(INTERRUPT_GRACE_MS),
  });
  try {
    // Reads only, before the lease is taken (its first write): another run holding the stack
    // stops teardown with nothing written.
    await checkStackLease(lease, { takeOver });
    const reading = out.start(`reading stack ${config.stack} in ${config.region}`);
    // A resource with our name but not our tag stops teardown here, before anything is written.
    let { targets, alreadyKept, deletedDate } = teardownTargets(ctx, await readStack(ctx, OWNED_STEPS), forceDeleteSecret);
    let clients = await readStackClients(ctx);
    let userSecrets = await findUserSecrets(ctx);
    const liveUserSecrets = () => userSecrets.filter((s) => forceDeleteSecret || !s.deletedDate);
    const anythingToDo = () =>
      targets.length > 0 || clients.entries.length > 0 || clients.clientGroup !== undefined || liveUserSecrets().length > 0;
    if (anythingToDo()) {
      held = await acquireStackLease(lease, 'teardown', { takeOver });
      const lost = held.lost;
      lost.addEventListener('abort', () => abort.abort(lost.reason), { once: true });
      // What is deleted is read again under the lease: another run may have changed the stack meanwhile.
      ctx = readContext(command, abort.signal);
      ({ targets, alreadyKept, deletedDate } = teardownTargets(ctx, await readStack(ctx, OWNED_STEPS), forceDeleteSecret));
      clients = await readStackClients(ctx);
      userSecrets = await findUserSecrets(ctx);
    }
    for (const s of userSecrets) if (s.deletedDate && !forceDeleteSecret) alreadyKept.push(keptSecret(ctx, s.name, s.deletedDate, true));
    reading.succeed(`read stack ${config.stack} in ${config.region}`);
    if (!anythingToDo()) {
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

    for (const { client, user } of clients.entries) out.info(`teardown will first revoke ${client.kind} ${client.name} (database user ${user}); it is not deleted`);
    out.info('teardown will delete:');
    for (const t of [...targets].reverse()) out.info(`  ${t.step.title}: ${t.step.summary(t.resource).id}`);
    for (const secret of liveUserSecrets()) out.info(`  database user secret: ${secret.name}`);
    if (ctx.resources.cluster) {
      out.info(
        skipFinalSnapshot
          ? 'No final snapshot (--skip-final-snapshot): the cluster data is lost.'
          : `Kept: final snapshot ${finalSnapshotId(config.stack, new Date())} (name fixed when the delete starts).`,
      );
    }
    if ((ctx.resources.secret && !deletedDate) || liveUserSecrets().length > 0) {
      out.info(forceDeleteSecret ? 'The secret is deleted at once (--force-delete-secret).' : 'Kept: the secret stays recoverable for 7 days.');
    }

    if (!config.yes) {
      out.close();
      const confirmed = await confirmByTyping(`Type the stack name (${config.stack}) to delete it:`, config.stack);
      if (!confirmed) throw new CliError('Not confirmed: nothing was deleted.');
    }

    await revokeStackClients(ctx, clients, out);
    const report = await destroyResources(ctx, targets, {
      options: { finalSnapshot: !skipFinalSnapshot, forceDeleteSecret },
      graph: GRAPH,
      emit: stackProgress(out),
    });
    if (!abort.signal.aborted) await deleteUserSecrets(ctx, liveUserSecrets(), forceDeleteSecret, report);
    report.kept.push(...alreadyKept);
    const clientGroup = await deleteStackClientGroup(ctx, clients);
    const deleted = [...report.deleted, ...(clientGroup.deleted ? [clientGroup.deleted] : [])];
    const left = [...report.left, ...(clientGroup.left ? [clientGroup.left] : [])];
    // Every resource left, with why and its command, goes to stderr in every mode: stdout may be a file or JSON.
    renderTeardownLeft(left, config.stack, out);
    const document = {
      stack: config.stack,
      deleted: deleted.map(({ step, id }) => ({ step, id })),
      kept: report.kept.map((k) => ({ kind: k.kind, id: k.id })),
      left: left.map(({ step, id, reason, manualDelete }) => ({ step, id, reason, command: manualDelete })),
    };
    // A teardown that lost the lease to another run stopped for it: that, not an interrupt, is why.
    const failure = held?.lost.aborted
      ? (held.lost.reason as CliError)
      : abort.signal.aborted
        ? new InterruptedError('Interrupted: teardown stopped; run it again to remove what is left.', document)
        : left.length > 0
          ? new CliError(`${left.length} resources of stack ${config.stack} were not deleted (listed above).`, {
              hint: leftHint(left.map((l) => l.reason), config.stack),
              details: document,
            })
          : undefined;
    // Before the result: a lease that cannot be released for want of a permission fails a teardown that otherwise succeeded.
    if (held) await releaseStackLease(lease, held, { raiseDenied: failure === undefined });
    // With --json a failed teardown's one document is the error's, which carries the same lists.
    if (!(failure && config.json)) {
      out.result(
        () =>
          [
            `Deleted ${deleted.length} resources of stack ${config.stack}.`,
            ...report.kept.map((k) => `Kept ${k.kind} ${k.id}: ${k.detail}`),
          ].join('\n'),
        () => document,
      );
    }
    if (failure) throw failure;
  } finally {
    if (held) await releaseStackLease(lease, held);
    stopHandling();
    out.close();
  }
}
