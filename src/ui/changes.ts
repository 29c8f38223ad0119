import type { Change } from '../steps/step.js';

/** "DeletionProtection: off → on"; a rule's id follows its field. */
export function renderChange(change: Change): string {
  const field = change.ref ? `${change.field} ${change.ref}` : change.field;
  return `${field}: ${change.have} → ${change.want}`;
}

/** The one wording of drift: `up --dry-run` rows and the progress line of a repair. */
export function renderChanges(changes: readonly Change[]): string {
  return changes.map(renderChange).join('; ');
}
