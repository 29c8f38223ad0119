import type { Read, Snapshot, Unanswered } from './snapshot.js';

const isRead = (value: unknown): value is Read<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';

/**
 * The endpoints that never answered a read of the snapshot, each once (several reads go to one
 * endpoint). Reads sit in the snapshot's fields, in its maps, and in the fields of what a read
 * returned (a role's policies, a secret's value).
 */
export function unansweredReads(snapshot: Snapshot): Unanswered[] {
  const found = new Map<string, Unanswered>();
  const visit = (r: Read<unknown>, depth: number) => {
    if (!r.ok) {
      if (r.unanswered) found.set(r.unanswered.endpoint ?? r.unanswered.description, r.unanswered);
      return;
    }
    if (depth > 2 || typeof r.value !== 'object' || r.value === null) return;
    for (const field of Object.values(r.value)) if (isRead(field)) visit(field, depth + 1);
  };
  for (const field of Object.values(snapshot)) {
    if (field instanceof Map) for (const r of field.values()) if (isRead(r)) visit(r, 0);
    if (isRead(field)) visit(field, 0);
  }
  return [...found.values()];
}
