import { DeleteDBClusterCommand, ModifyDBClusterCommand, type DBInstance } from '@aws-sdk/client-rds';
import { aws, isErrorNamed, isNotFound, wrapAwsError } from '../aws/errors.js';
import { formatElapsed } from '../config/timing.js';
import { hasStackTag, STACK_TAG_KEY } from '../config/names.js';
import { CliError, InterruptedError } from '../errors.js';
import { retryWhileBusy } from '../waiters/busy.js';
import { readCluster } from '../waiters/cluster.js';
import { readInstance, waitForInstanceDeleted } from '../waiters/instance.js';
import { sleep } from '../waiters/sleep.js';
import type { ReadContext } from './step.js';

/**
 * Deleting the stack's Aurora cluster, and what RDS may refuse on the way: a cluster busy with
 * another change (retried for a bounded time, with AWS's words), a cluster that still contains DB
 * instances (listed; only the stack's own writer being deleted is waited for), and deletion
 * protection, which goes back on when the delete fails after it was turned off.
 */

const title = (id: string) => `Aurora cluster ${id}`;

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** AWS's own words, without the "deleting …:" an error was wrapped with. */
const awsWords = (err: unknown) => messageOf(err).replace(/^[^:]*: /, '');

/** RDS's refusal to delete a cluster with instances: "Cluster cannot be deleted, it still contains DB instances in non-deleting state." */
function holdsInstances(err: unknown): boolean {
  return isErrorNamed(err, 'InvalidDBClusterStateFault') && /still contains DB instances/i.test(messageOf(err));
}

/** Busy with another change (creating, modifying, a backup): RDS accepts the call once that is done. */
function isBusy(err: unknown): boolean {
  return isErrorNamed(err, 'InvalidDBClusterStateFault') && !holdsInstances(err);
}

async function setDeletionProtection(ctx: ReadContext, id: string, on: boolean): Promise<void> {
  const rds = await ctx.clients.rds();
  const what = on ? `turning deletion protection of ${title(id)} back on` : `turning off deletion protection of ${title(id)}`;
  const input = { DBClusterIdentifier: id, DeletionProtection: on, ApplyImmediately: true };
  await retryWhileBusy(() => aws(what, () => rds.send(new ModifyDBClusterCommand(input))), {
    what,
    isBusy,
    timing: ctx.timing.busy,
    signal: ctx.signal,
    progress: ctx.progress,
  });
}

/** A DB instance the cluster contains, and what the stack knows of it. */
interface Member {
  id: string;
  /** Read only for an instance under the writer's name: any other is not the stack's, whatever its tags. */
  instance?: DBInstance;
}

/** The stack's own writer (its name and the stack's tag), being deleted: worth waiting for. */
const isOwnWriterDeleting = (ctx: ReadContext, m: Member) =>
  m.instance !== undefined && hasStackTag(m.instance.TagList, ctx.config.stack) && m.instance.DBInstanceStatus === 'deleting';

/** "demo-reader (not the stack's writer demo-writer)". */
function described(ctx: ReadContext, m: Member): string {
  if (m.instance === undefined) return `${m.id} (not the stack's writer ${ctx.names.instance})`;
  const status = m.instance.DBInstanceStatus ?? 'unknown';
  return hasStackTag(m.instance.TagList, ctx.config.stack)
    ? `${m.id} (${status}, the stack's writer, not being deleted)`
    : `${m.id} (${status}, not tagged ${STACK_TAG_KEY}=${ctx.config.stack})`;
}

/**
 * RDS refused the delete because the cluster still contains instances (its members). The
 * stack's own writer being deleted is waited for; any other instance stops the delete, named with
 * the reason. Returns once the delete is worth sending again.
 */
async function clearInstances(ctx: ReadContext, id: string, refusal: unknown, since: number): Promise<void> {
  const members = (await readCluster(ctx, id))?.DBClusterMembers ?? [];
  const read = await Promise.all(
    members.map(async ({ DBInstanceIdentifier: memberId = '' }): Promise<Member | undefined> => {
      if (memberId !== ctx.names.instance) return { id: memberId };
      const instance = await readInstance(ctx, memberId);
      // Gone since RDS answered.
      return instance && { id: memberId, instance };
    }),
  );
  const known = read.filter((m): m is Member => m !== undefined);
  const deleting = known.filter((m) => isOwnWriterDeleting(ctx, m));
  const blocking = known.filter((m) => !deleting.includes(m));
  if (blocking.length > 0) {
    const one = blocking.length === 1;
    const listed = blocking.map((m) => described(ctx, m)).join(', ');
    throw new CliError(
      `deleting ${title(id)}: RDS refuses while it still contains DB instances, and ${listed} ${one ? 'is' : 'are'} not one this run deletes ` +
        `(AWS: "${awsWords(refusal)}"). If ${one ? 'it' : 'they'} should go, delete ${one ? 'it' : 'them'} first: ` +
        blocking.map((m) => `aws rds delete-db-instance --db-instance-identifier ${m.id} --region ${ctx.config.region}`).join(' && '),
      {
        source: 'aws',
        code: 'ClusterContainsInstances',
        cause: refusal,
        hint: `Run the command again once ${blocking.map((m) => m.id).join(' and ')} ${one ? 'is' : 'are'} gone.`,
      },
    );
  }
  for (const writer of deleting) await waitForInstanceDeleted(ctx, writer.id);
  if (deleting.length > 0) return;
  // None listed: the last one went between RDS's answer and the read. Send the delete again, within the busy bound.
  const elapsed = Date.now() - since;
  if (elapsed >= ctx.timing.busy.timeoutMs) {
    throw new CliError(`deleting ${title(id)}: AWS still says it contains DB instances after ${formatElapsed(elapsed)}, but lists none.`, {
      source: 'aws',
      code: 'ClusterContainsInstances',
      cause: refusal,
    });
  }
  ctx.progress({ kind: 'retrying', what: `deleting ${title(id)}`, because: `AWS says "${awsWords(refusal)}", yet lists no instance` });
  await sleep(ctx.timing.busy.minDelayMs, ctx.signal);
}

/** Sends the delete until RDS takes it; false when the cluster was already gone. */
async function deleteWhenFree(ctx: ReadContext, id: string, snapshotId: string | undefined): Promise<boolean> {
  const rds = await ctx.clients.rds();
  const what = `deleting ${title(id)}`;
  const input = snapshotId
    ? { DBClusterIdentifier: id, FinalDBSnapshotIdentifier: snapshotId }
    : { DBClusterIdentifier: id, SkipFinalSnapshot: true };
  const started = Date.now();
  for (;;) {
    try {
      await retryWhileBusy(() => aws(what, () => rds.send(new DeleteDBClusterCommand(input))), {
        what,
        isBusy,
        timing: ctx.timing.busy,
        signal: ctx.signal,
        progress: ctx.progress,
      });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      if (!holdsInstances(err)) throw err;
      await clearInstances(ctx, id, err, started);
    }
  }
}

/** The failed delete's error, saying that deletion protection is back on, or loudly that it is off. */
async function withProtectionRestored(ctx: ReadContext, id: string, err: unknown): Promise<CliError> {
  const failure = err instanceof CliError ? err : wrapAwsError(`deleting ${title(id)}`, err);
  const withNote = (note: string) =>
    new CliError(`${failure.message.replace(/\.$/, '')}. ${note}`, {
      hint: failure.hint,
      exitCode: failure.exitCode,
      source: failure.source,
      code: failure.code,
      cause: failure,
    });
  try {
    const live = await readCluster(ctx, id);
    // Gone, or being deleted after all (an abandoned delete call that AWS did carry out).
    if (!live || live.Status === 'deleting') return failure;
    await setDeletionProtection(ctx, id, true);
    return withNote('Deletion protection was turned back on.');
  } catch (restoreErr) {
    return withNote(
      `DELETION PROTECTION IS OFF on ${title(id)}: turning it back on failed (${messageOf(restoreErr)}). ` +
        `Turn it on with: aws rds modify-db-cluster --db-cluster-identifier ${id} --deletion-protection --apply-immediately --region ${ctx.config.region}`,
    );
  }
}

/**
 * Asks RDS to delete the cluster, turning its deletion protection off first when it is on;
 * false when the cluster was already gone. If the delete then fails, protection goes back on.
 */
export async function requestClusterDelete(
  ctx: ReadContext,
  id: string,
  options: { snapshotId?: string; deletionProtection: boolean },
): Promise<boolean> {
  let protectionMayBeOff = false;
  try {
    if (options.deletionProtection) {
      try {
        await setDeletionProtection(ctx, id, false);
      } catch (err) {
        // An abandoned call may have been carried out; a refusal was not.
        protectionMayBeOff = err instanceof InterruptedError;
        throw err;
      }
      protectionMayBeOff = true;
    }
    return await deleteWhenFree(ctx, id, options.snapshotId);
  } catch (err) {
    if (!protectionMayBeOff) throw err;
    throw await withProtectionRestored(ctx, id, err);
  }
}
