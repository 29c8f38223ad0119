import { leaseTakeoverName } from '../config/names.js';
import { CliError } from '../errors.js';
import { LeaseHeldError, LeaseTakeoverLostError } from './lease-errors.js';
import type { LeaseHolder, ReadLease } from './lease-holder.js';
import { createLeaseParameter, deleteLeaseParameter, overwriteLeaseParameter, readLeaseParameter } from './lease-parameter.js';
import type { LeaseContext } from './lease-context.js';

/** Markers of takers that stopped in turn are skipped this many times before giving up. */
const MAX_MARKERS = 5;

/**
 * Wins the right to take over the stale lease: the marker keyed by the stale holder's run id,
 * created put-if-absent. Of two runs taking over the same lease, exactly one creates it; the
 * other is refused naming the winner. A marker whose taker stopped before finishing is as stale
 * as a lease after the same time, and the next attempt number is tried.
 */
async function winMarker(ctx: LeaseContext, stale: ReadLease, mine: LeaseHolder): Promise<string> {
  let attempt = 1;
  for (let tries = 0; tries < MAX_MARKERS * 2 && attempt <= MAX_MARKERS; tries++) {
    const name = leaseTakeoverName(ctx.stack, stale.holder.runId, attempt);
    if (await createLeaseParameter(ctx.clients, name, mine, ctx.stack)) return name;
    const marker = await readLeaseParameter(ctx.clients, name);
    // Its taker is done and removed it: try it again; the lease will show who holds it now.
    if (marker === undefined) continue;
    // Ours, after a lost answer to the create.
    if (marker.holder.runId === mine.runId) return name;
    if (ctx.now() - marker.renewedAt.getTime() < ctx.timing.staleAfterMs) throw new LeaseTakeoverLostError(ctx.stack, marker.holder);
    attempt += 1;
  }
  throw new CliError(`Stack ${ctx.stack}'s lease could not be taken over: ${MAX_MARKERS} runs began taking it over and stopped.`, {
    hint: `Remove the parameters under /rdsproxy-setup/${ctx.stack}/lease-takeover/ and run again.`,
    code: 'LeaseHeld',
  });
}

/**
 * Takes over `stale` (read a moment ago, stale or named by --take-over-lease): win its marker,
 * read the lease again, and overwrite it only if it is still the same lease (not renewed
 * meanwhile, unless `force`: the holder is alive then); a lease that changed hands names its new
 * holder instead. A read-back confirms the write. The marker is removed at the end either way.
 */
export async function takeOverLease(ctx: LeaseContext, stale: ReadLease, mine: LeaseHolder, force: boolean): Promise<void> {
  const marker = await winMarker(ctx, stale, mine);
  try {
    const name = ctx.names.lease;
    const current = await readLeaseParameter(ctx.clients, name);
    if (current === undefined) {
      // Released meanwhile: taken as any free lease is.
      if (await createLeaseParameter(ctx.clients, name, mine, ctx.stack)) return;
    } else if (current.holder.runId === stale.holder.runId && (force || current.version === stale.version)) {
      await overwriteLeaseParameter(ctx.clients, name, mine);
    }
    const after = await readLeaseParameter(ctx.clients, name);
    if (after?.holder.runId === mine.runId) return;
    if (after === undefined) throw new CliError(`Stack ${ctx.stack}'s lease vanished while this run took it over; run again.`, { code: 'LeaseHeld' });
    throw new LeaseHeldError(ctx.stack, after, ctx.now(), ctx.timing);
  } finally {
    // A marker left behind only costs a later taker of the same stale lease one attempt.
    await deleteLeaseParameter(ctx.clients, marker).catch(() => undefined);
  }
}
