import type { GrantContext } from './context.js';
import { readRole, roleNameOf } from './iam-role.js';
import { readFunction } from './lambda-function.js';
import { clientRecords, type IndexEntry } from './records.js';

/** What one client of a stack uses now: the role that holds its permission and the groups it connects from. */
export interface ClientUsage extends IndexEntry {
  roleName?: string;
  groupIds: string[];
  /** A function in a VPC: its role needs the network-interface permissions. */
  inVpc: boolean;
}

export async function clientUsage(ctx: GrantContext, stack: string, entry: IndexEntry): Promise<ClientUsage> {
  if (entry.client.kind === 'lambda') {
    const fn = await readFunction(ctx, entry.client.name);
    return {
      ...entry,
      roleName: fn ? roleNameOf(fn.roleArn) : undefined,
      groupIds: fn?.securityGroupIds ?? [],
      inVpc: (fn?.subnetIds.length ?? 0) > 0,
    };
  }
  const role = await readRole(ctx, entry.client.name);
  const sg = role ? clientRecords(stack, role.tags).clientSecurityGroupId : undefined;
  return { ...entry, roleName: entry.client.name, groupIds: sg ? [sg] : [], inVpc: false };
}
