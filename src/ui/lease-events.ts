import { formatElapsed } from '../config/timing.js';
import type { LeaseEvent } from '../lease/lease-context.js';
import { describeHolder } from '../lease/lease-holder.js';
import type { Output } from './output.js';

/** What a writing command says about the stack's lease besides its errors, on stderr. */
export function leaseNotices(out: Output, stack: string): (event: LeaseEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'taken-over': {
        const from = describeHolder(event.from);
        const ago = formatElapsed(event.renewedAgoMs);
        out.warn(
          event.because === 'stale'
            ? `Took over the lease of stack ${stack} from ${from}: not renewed for ${ago} (stale after ${formatElapsed(event.staleAfterMs)}), so that run has stopped.`
            : `Took over the lease of stack ${stack} from ${from} because of --take-over-lease (last renewed ${ago} ago).`,
        );
        return;
      }
      case 'lost':
        out.warn(
          event.to
            ? `The lease of stack ${stack} was taken over by ${describeHolder(event.to)}: stopping, and keeping what this run made.`
            : `The lease of stack ${stack} was removed by someone else: stopping, and keeping what this run made.`,
        );
        return;
      case 'release-failed':
        out.warn(
          `Could not release the lease of stack ${stack}: ${event.error instanceof Error ? event.error.message : String(event.error)}. ` +
            'The next run takes it over once it is stale, or at once with --take-over-lease.',
        );
        return;
    }
  };
}
