import { hostname } from 'node:os';
import { isMissingPermission } from '../aws/errors.js';
import { CliError } from '../errors.js';
import { LeaseHeldError, LeaseLostError } from './lease-errors.js';
import type { LeaseCommand, LeaseHolder, ReadLease } from './lease-holder.js';
import { leaseContext, type LeaseContext, type StackLeaseSettings } from './lease-context.js';
import { createLeaseParameter, deleteLeaseParameter, overwriteLeaseParameter, readLeaseParameter } from './lease-parameter.js';
import { takeOverLease } from './takeover.js';

/**
 * One writing run per stack at a time, held on AWS (no local state): an SSM parameter created
 * put-if-absent, renewed while the run works, deleted at its end. docs/decisions.md says why this
 * primitive and in which order a command reads, takes the lease and reads again.
 */

export interface LeaseOptions {
  /** --take-over-lease: take the lease even from a holder that still renews it. */
  takeOver: boolean;
}

/** The stack's lease, held by this run. */
export interface HeldLease {
  holder: LeaseHolder;
  /** Aborted, with a LeaseLostError, once another run has taken the lease over: stop, and keep what was made for it. */
  lost: AbortSignal;
  /** Stops renewing and deletes the lease if it is still this run's; once (later calls do nothing). */
  release(): Promise<void>;
}

function isStale(ctx: LeaseContext, lease: ReadLease): boolean {
  return ctx.now() - lease.renewedAt.getTime() >= ctx.timing.staleAfterMs;
}

/**
 * Reads only: refuses (LeaseHeldError, exit 1) when another run holds the lease and is alive as
 * far as AWS can tell, so a second run stops before its first write. A stale lease, or any with
 * --take-over-lease, is left for acquireStackLease to take over.
 */
export async function checkStackLease(settings: StackLeaseSettings, options: LeaseOptions): Promise<void> {
  const ctx = leaseContext(settings);
  const lease = await readLeaseParameter(ctx.clients, ctx.names.lease);
  if (lease === undefined || lease.holder.runId === ctx.runId || options.takeOver || isStale(ctx, lease)) return;
  throw new LeaseHeldError(ctx.stack, lease, ctx.now(), ctx.timing);
}

/**
 * Takes the stack's lease: creates it if absent; else takes it over when it is stale (or with
 * --take-over-lease, saying which through `notify`); else refuses naming the holder. A take that
 * fails half-way (its answer lost for good) removes the lease again if it names this run, so the
 * stack is not blocked until it goes stale.
 */
export async function acquireStackLease(settings: StackLeaseSettings, command: LeaseCommand, options: LeaseOptions): Promise<HeldLease> {
  const ctx = leaseContext(settings);
  const started = new Date(ctx.now()).toISOString();
  const mine: LeaseHolder = { runId: ctx.runId, command, host: hostname(), pid: process.pid, startedAt: started, renewedAt: started };
  try {
    await takeLease(ctx, mine, options);
  } catch (err) {
    if (!(err instanceof CliError && err.code === 'LeaseHeld')) await releaseIfMine(ctx, mine).catch(() => undefined);
    throw err;
  }
  return hold(ctx, mine);
}

async function takeLease(ctx: LeaseContext, mine: LeaseHolder, options: LeaseOptions): Promise<void> {
  const name = ctx.names.lease;
  // Each pass ends unless the lease was released between this run's create and its read.
  for (let pass = 0; pass < 3; pass++) {
    if (await createLeaseParameter(ctx.clients, name, mine, ctx.stack)) return;
    const current = await readLeaseParameter(ctx.clients, name);
    if (current === undefined) continue;
    // This run's own create, whose answer was lost: the SDK's retry found it.
    if (current.holder.runId === ctx.runId) return;
    const stale = isStale(ctx, current);
    if (!stale && !options.takeOver) throw new LeaseHeldError(ctx.stack, current, ctx.now(), ctx.timing);
    await takeOverLease(ctx, current, mine, options.takeOver);
    ctx.notify({
      type: 'taken-over',
      from: current.holder,
      because: stale ? 'stale' : 'flag',
      renewedAgoMs: ctx.now() - current.renewedAt.getTime(),
      staleAfterMs: ctx.timing.staleAfterMs,
    });
    return;
  }
  throw new CliError(`Stack ${ctx.stack}'s lease changed hands three times while this run tried to take it; run again.`, { code: 'LeaseHeld' });
}

/** Deletes the lease if it names this run (read first: never another run's). */
async function releaseIfMine(ctx: LeaseContext, mine: LeaseHolder): Promise<void> {
  const current = await readLeaseParameter(ctx.clients, ctx.names.lease);
  if (current?.holder.runId === mine.runId) await deleteLeaseParameter(ctx.clients, ctx.names.lease);
}

/**
 * Renews the lease every `renewEveryMs` on an unref'd timer. Each renewal reads first: a lease
 * that names another run (or is gone) was taken over, so this run is told (`lost`) and stops
 * renewing. A renewal that fails is tried again at the next tick; a live holder must miss six in
 * a row before its lease looks stale.
 */
function hold(ctx: LeaseContext, mine: LeaseHolder): HeldLease {
  const name = ctx.names.lease;
  const lost = new AbortController();
  let renewing: Promise<void> = Promise.resolve();
  const renew = async () => {
    const current = await readLeaseParameter(ctx.clients, name);
    if (lost.signal.aborted) return;
    if (current?.holder.runId !== mine.runId) {
      stop();
      lost.abort(new LeaseLostError(ctx.stack, current?.holder));
      ctx.notify({ type: 'lost', to: current?.holder });
      return;
    }
    await overwriteLeaseParameter(ctx.clients, name, { ...mine, renewedAt: new Date(ctx.now()).toISOString() });
  };
  const timer = setInterval(() => {
    renewing = renewing.then(renew).catch(() => undefined);
  }, ctx.timing.renewEveryMs);
  timer.unref();
  const stop = () => clearInterval(timer);
  let released = false;
  return {
    holder: mine,
    lost: lost.signal,
    async release() {
      if (released) return;
      released = true;
      stop();
      await renewing;
      if (!lost.signal.aborted) await releaseIfMine(ctx, mine);
    },
  };
}

/**
 * Releases the lease. A release that fails is reported through `notify`, not thrown: the run's
 * own outcome stands. Except, with `raiseDenied` (a run that otherwise succeeded), a refusal for
 * want of a permission: every later run would wait for the lease to go stale, so it fails the run.
 */
export async function releaseStackLease(settings: StackLeaseSettings, lease: HeldLease, options: { raiseDenied?: boolean } = {}): Promise<void> {
  try {
    await lease.release();
  } catch (error) {
    if (options.raiseDenied && isMissingPermission(error)) {
      throw new CliError(`Stack ${settings.stack} is done, but its lease could not be released: ${error instanceof Error ? error.message : String(error)}`, {
        source: 'aws',
        code: 'LeaseNotReleased',
        cause: error,
      });
    }
    settings.notify?.({ type: 'release-failed', error });
  }
}

/** Runs `work` holding the stack's lease, and releases it however `work` ends. */
export async function withStackLease<T>(
  settings: StackLeaseSettings,
  command: LeaseCommand,
  options: LeaseOptions,
  work: (lease: HeldLease) => Promise<T>,
): Promise<T> {
  const lease = await acquireStackLease(settings, command, options);
  try {
    const result = await work(lease);
    await releaseStackLease(settings, lease, { raiseDenied: true });
    return result;
  } finally {
    await releaseStackLease(settings, lease);
  }
}
