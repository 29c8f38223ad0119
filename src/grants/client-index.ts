import type { GrantContext } from './context.js';
import { indexEntries, type ClientRef, type IndexEntry } from './records.js';
import { readGroups, type GroupFacts } from './security-groups.js';

export const sameClient = (a: ClientRef, b: ClientRef): boolean => a.kind === b.kind && a.name === b.name;

/** The stack's proxy security group and the index its tags hold; none when the group is gone. */
export async function readIndex(ctx: GrantContext, proxySecurityGroupId: string | undefined): Promise<{ group?: GroupFacts; entries: IndexEntry[] }> {
  if (!proxySecurityGroupId) return { entries: [] };
  const group = (await readGroups(ctx, [proxySecurityGroupId])).get(proxySecurityGroupId);
  return { group, entries: group ? indexEntries(group.tags) : [] };
}
