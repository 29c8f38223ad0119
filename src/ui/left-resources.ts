import type { Output } from './output.js';

/** A resource left: one of the stack's steps, or the client security group grant made. */
export interface LeftResource {
  step: string;
  id: string;
  reason: string;
  manualDelete: string;
}

/**
 * One resource a rollback or teardown could not delete: which, why, and the command that removes
 * it. The one place this is worded, so whatever else a user must know about a resource left (its
 * deletion protection, say) is added here for both.
 */
export function describeLeft(left: LeftResource): string {
  return `${left.step} ${left.id} (${left.reason}). Remove it with: ${left.manualDelete}`;
}

/** Every resource teardown left, on stderr in every output mode, in the order to remove them. */
export function renderTeardownLeft(left: readonly LeftResource[], stack: string, out: Output): void {
  if (left.length === 0) return;
  out.warn(`${left.length} resource${left.length === 1 ? '' : 's'} of stack ${stack} left:`);
  for (const l of left) out.warn(`Left ${describeLeft(l)}`);
}
