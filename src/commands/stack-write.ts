import { acquireStackLease, checkStackLease, releaseStackLease, type HeldLease } from '../lease/stack-lease.js';
import type { LeaseCommand } from '../lease/lease-holder.js';
import { leaseSettings, type CommandContext } from './command-context.js';

/**
 * The one door grant and revoke write to a stack's clients through. Another run holding the stack
 * stops the command at once (a read); the lease itself is taken only when `write` is about to make
 * its first change (`beforeFirstWrite`), so a refusal writes nothing, and it is released however
 * `write` ends.
 */
export async function writingStack<T>(
  command: CommandContext,
  what: LeaseCommand,
  takeOver: boolean,
  write: (beforeFirstWrite: () => Promise<void>) => Promise<T>,
): Promise<T> {
  const settings = leaseSettings(command);
  await checkStackLease(settings, { takeOver });
  let held: HeldLease | undefined;
  const take = async () => {
    held ??= await acquireStackLease(settings, what, { takeOver });
  };
  try {
    const result = await write(take);
    // A lease that cannot be released for want of a permission fails a write that otherwise succeeded.
    if (held) await releaseStackLease(settings, held, { raiseDenied: true });
    held = undefined;
    return result;
  } finally {
    if (held) await releaseStackLease(settings, held);
  }
}
