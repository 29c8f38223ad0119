import { CliError } from '../errors.js';
import { describeClient, type IndexEntry } from '../grants/records.js';
import { revokeClient, type RevokeResult } from '../grants/revoke-client.js';
import { findClientGroup } from '../grants/security-groups.js';
import { readIndex } from '../grants/client-index.js';
import { deleteSecurityGroup, manualDeleteSecurityGroup } from '../steps/security-group.js';
import type { ReadContext } from '../steps/step.js';
import type { Output } from '../ui/output.js';
import { renderProgress } from '../ui/wait-progress.js';

/** What teardown does about the stack's clients: revoke each one first, delete the client security group last. */
export interface StackClients {
  entries: IndexEntry[];
  clientGroup?: { id: string; name: string; vpcId: string };
}

export async function readStackClients(ctx: ReadContext): Promise<StackClients> {
  const [{ entries }, group] = await Promise.all([readIndex(ctx, ctx.resources['proxy-sg']?.id), findClientGroup(ctx, ctx.config.stack)]);
  return { entries, ...(group ? { clientGroup: { id: group.id, name: group.name, vpcId: group.vpcId } } : {}) };
}

/**
 * Revokes every client of the index before anything is deleted; the first failure stops teardown
 * there, with the index (and so what is left to revoke) still on AWS.
 */
export async function revokeStackClients(ctx: ReadContext, clients: StackClients, out: Output): Promise<RevokeResult[]> {
  const target = { stack: ctx.config.stack, proxySecurityGroupId: ctx.resources['proxy-sg']?.id };
  const results: RevokeResult[] = [];
  for (const { client } of clients.entries) {
    const who = describeClient(client);
    const activity = out.start(`revoking ${who}`);
    try {
      results.push(await revokeClient({ ...ctx, progress: (p) => activity.update(`${who}: ${renderProgress(p)}`) }, target, client));
      activity.succeed(`${who} revoked`);
    } catch (err) {
      activity.fail(`${who} not revoked`);
      throw new CliError(`Revoking ${who} failed, so teardown stopped before deleting anything: ${err instanceof Error ? err.message : String(err)}`, {
        hint: `Fix that and run \`rdsproxy-setup teardown --name ${ctx.config.stack}\` again (or \`rdsproxy-setup revoke --${client.kind} ${client.name} --name ${ctx.config.stack}\`).`,
        cause: err,
        code: err instanceof CliError ? err.code : 'RevokeFailed',
      });
    }
  }
  for (const note of results.flatMap((r) => r.notes)) out.info(note);
  return results;
}

/** The client security group, once its clients are gone: retried while AWS still holds it. */
export async function deleteStackClientGroup(ctx: ReadContext, clients: StackClients) {
  const group = clients.clientGroup;
  if (!group) return {};
  try {
    await deleteSecurityGroup(ctx, group);
    return { deleted: { step: 'client-sg', id: group.id } };
  } catch (err) {
    return {
      left: { step: 'client-sg', id: group.id, reason: err instanceof Error ? err.message : String(err), manualDelete: manualDeleteSecurityGroup(ctx, group) },
    };
  }
}
