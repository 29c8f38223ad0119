import { CliError } from '../errors.js';
import type { GrantContext } from './context.js';
import { readGroups, type GroupFacts } from './security-groups.js';

/** The stack's proxy security group: where the index of clients lives and clients are admitted. */
export async function readProxyGroup(ctx: GrantContext, target: { stack: string; proxySecurityGroupId: string }): Promise<GroupFacts> {
  const group = (await readGroups(ctx, [target.proxySecurityGroupId])).get(target.proxySecurityGroupId);
  if (!group) {
    throw new CliError(`The proxy security group ${target.proxySecurityGroupId} of stack ${target.stack} is gone.`, {
      hint: `Run \`rdsproxy-setup up --name ${target.stack}\` to repair the stack first.`,
    });
  }
  return group;
}
