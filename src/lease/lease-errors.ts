import { formatElapsed } from '../config/timing.js';
import { CliError } from '../errors.js';
import { describeHolder, renewedAgo, type LeaseHolder, type ReadLease } from './lease-holder.js';
import type { LeaseTiming } from './lease-timing.js';

/** Another run holds the stack's lease, and it is alive as far as AWS can tell: nothing was changed. */
export class LeaseHeldError extends CliError {
  readonly holder: LeaseHolder;

  constructor(stack: string, lease: ReadLease, now: number, timing: LeaseTiming) {
    const age = now - lease.renewedAt.getTime();
    const staleIn = formatElapsed(Math.max(0, timing.staleAfterMs - age));
    super(`Stack ${stack} is being changed by another run: ${describeHolder(lease.holder)}, last renewed ${renewedAgo(lease, now)} ago.`, {
      hint:
        'Nothing was changed. Wait for that run to finish. If it has stopped (crashed or killed), its lease is taken over ' +
        `automatically once it has gone ${formatElapsed(timing.staleAfterMs)} without renewal (in ${staleIn}), or at once with --take-over-lease.`,
      code: 'LeaseHeld',
      details: { lease: lease.holder },
    });
    this.name = 'LeaseHeldError';
    this.holder = lease.holder;
  }
}

/** Another run won the right to take over the same stale lease first. */
export class LeaseTakeoverLostError extends CliError {
  constructor(stack: string, taker: LeaseHolder) {
    super(`Stack ${stack}'s lease is being taken over by another run: ${describeHolder(taker)}.`, {
      hint: 'Nothing was changed. Wait for that run to finish, then run again.',
      code: 'LeaseHeld',
      details: { lease: taker },
    });
    this.name = 'LeaseTakeoverLostError';
  }
}

/** While this run worked, another run took its lease over: this run stopped and left the stack to it. */
export class LeaseLostError extends CliError {
  constructor(stack: string, holder: LeaseHolder | undefined, details?: CliError['details']) {
    const by = holder ? `was taken over by ${describeHolder(holder)}` : 'was removed by someone else';
    super(`Stack ${stack}'s lease ${by}: this run stopped and kept what it had created.`, {
      hint: holder
        ? 'That run changes the stack now; run `status` once it has finished.'
        : 'Run the command again: it finishes what this run started.',
      code: 'LeaseLost',
      details,
    });
    this.name = 'LeaseLostError';
  }
}
