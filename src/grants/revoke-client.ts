import { parseArn } from '../config/arns.js';
import { POSTGRES_PORT } from '../config/names.js';
import { CliError } from '../errors.js';
import { connectPolicyDocument, connectPolicyResources, userOfConnectResource } from './connect-policy.js';
import type { GrantContext } from './context.js';
import { restoreEnvironment } from './environment.js';
import { deleteRolePolicy, detachRolePolicy, putRolePolicy, readRole, roleNameOf, untagRole, type RoleFacts } from './iam-role.js';
import { readFunction, untagFunction, updateFunction, type FunctionFacts } from './lambda-function.js';
import { stackRules } from './network-rules.js';
import {
  clientRecords,
  connectPolicyName,
  describeClient,
  indexTagKey,
  otherVpcAccessHolders,
  ruleDescription,
  vpcAccessPolicyArn,
  vpcAccessTagKey,
  type ClientRef,
} from './records.js';
import { deleteClientGroup, describeRule, findClientGroup, readGroups, revokeRule, untagGroup, type GroupFacts } from './security-groups.js';
import { readIndex, sameClient } from './client-index.js';
import { clientUsage, type ClientUsage } from './stack-clients.js';
import type { StackTarget } from './target.js';

export interface RevokeResult {
  client: ClientRef;
  /** The user it was granted for, when a record says. */
  user?: string;
  /** What was undone, as the user reads it; empty when there was nothing to undo. */
  undone: string[];
  /** What was kept, and why. */
  notes: string[];
}

/** A function's or role's name from its name or ARN. */
export function clientNamed(kind: ClientRef['kind'], given: string): ClientRef {
  return { kind, name: kind === 'lambda' ? given.slice(given.lastIndexOf(':') + 1) : given.slice(given.lastIndexOf('/') + 1) };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Restores the function's environment and VPC placement, each only while it is what grant left. */
async function restoreFunction(ctx: GrantContext, stack: string, fn: FunctionFacts, clientGroup: GroupFacts | undefined, result: RevokeResult): Promise<void> {
  const records = clientRecords(stack, fn.tags);
  const restore = restoreEnvironment(fn.environment, records.env);
  result.notes.push(...restore.kept.map((k) => `${k.variable} ${k.reason}.`));
  let detach = false;
  if (records.vpcAttached && fn.subnetIds.length > 0) {
    if (clientGroup && sameSet(fn.securityGroupIds, [clientGroup.id])) detach = true;
    else result.notes.push(`Lambda function ${fn.name}'s VPC configuration was changed after grant: kept as it is.`);
  }
  if (restore.undone.length === 0 && !detach) return;
  await updateFunction(ctx, fn.name, {
    environment: restore.undone.length > 0 ? restore.variables : undefined,
    vpc: detach ? { subnetIds: [], securityGroupIds: [] } : undefined,
  });
  result.undone.push(
    `Lambda function ${fn.name}: ${[...restore.undone, ...(detach ? ['taken out of the VPC again (it had none before grant)'] : [])].join('; ')}`,
  );
}

/** The stack's policy keeps what the role's other clients need; AWSLambdaVPCAccessExecutionRole goes with the last function that needed it. */
async function restoreRole(ctx: GrantContext, stack: string, role: RoleFacts, others: readonly ClientUsage[], result: RevokeResult): Promise<void> {
  const sharing = others.filter((o) => o.roleName === role.name);
  const name = connectPolicyName(stack);
  const document = role.inlinePolicies.get(name);
  if (document !== undefined) {
    const needed = new Set(sharing.map((o) => o.user));
    const resources = connectPolicyResources(document);
    const keep = resources.filter((r) => needed.has(userOfConnectResource(r)));
    if (keep.length === 0) {
      await deleteRolePolicy(ctx, role.name, name);
      result.undone.push(`inline policy ${name} deleted from IAM role ${role.name}`);
    } else if (keep.length < resources.length) {
      await putRolePolicy(ctx, role.name, name, connectPolicyDocument(keep));
      result.undone.push(`inline policy ${name} of IAM role ${role.name} keeps only what its other clients need (${[...needed].join(', ')})`);
    }
  }
  if (clientRecords(stack, role.tags).vpcAccessAttached && !sharing.some((o) => o.inVpc)) {
    if (otherVpcAccessHolders(stack, role.tags).length === 0) {
      const arn = vpcAccessPolicyArn(parseArn(role.arn)?.partition ?? 'aws');
      await detachRolePolicy(ctx, role.name, arn);
      result.undone.push(`${arn} detached from IAM role ${role.name}`);
    }
    await untagRole(ctx, role.name, [vpcAccessTagKey(stack)]);
  }
}

/**
 * Undoes exactly what the records of a client say grant did, in the reverse order of grant, and
 * removes the records last: a revoke that stops half-way is finished by the next one. What another
 * client of the stack still uses (a rule, the policy, the client security group) stays. Works
 * after the proxy is gone. A second revoke finds no record: nothing to undo.
 */
export async function revokeClient(ctx: GrantContext, target: StackTarget, client: ClientRef): Promise<RevokeResult> {
  const { stack } = target;
  const { group: proxyGroup, entries } = await readIndex(ctx, target.proxySecurityGroupId);
  const entry = entries.find((e) => sameClient(e.client, client));
  const [fn, clientRole] = await Promise.all([
    client.kind === 'lambda' ? readFunction(ctx, client.name) : Promise.resolve(undefined),
    client.kind === 'role' ? readRole(ctx, client.name) : Promise.resolve(undefined),
  ]);
  const records = clientRecords(stack, fn?.tags ?? clientRole?.tags ?? {});
  const result: RevokeResult = { client, user: entry?.user ?? records.user, undone: [], notes: [] };
  if (!entry && records.keys.length === 0) {
    if (!fn && !clientRole) {
      throw new CliError(`${describeClient(client)} does not exist, and stack ${stack} has no record of it.`, { source: 'user', code: 'UnknownClient' });
    }
    result.notes.push(`Nothing to undo: ${describeClient(client)} is no client of stack ${stack}.`);
    return result;
  }
  await ctx.beforeFirstWrite?.();
  const others = await Promise.all(entries.filter((e) => !sameClient(e.client, client)).map((e) => clientUsage(ctx, stack, e)));
  const otherGroups = new Set(others.flatMap((o) => o.groupIds));
  const clientGroup = records.vpcAttached ? await findClientGroup(ctx, stack) : undefined;
  // The groups it reached the proxy from, read before anything changes.
  const ownGroups = new Set([
    ...(fn?.securityGroupIds ?? []),
    ...(records.clientSecurityGroupId ? [records.clientSecurityGroupId] : []),
    ...(clientGroup ? [clientGroup.id] : []),
  ]);

  if (fn) await restoreFunction(ctx, stack, fn, clientGroup, result);
  const roleName = client.kind === 'role' ? client.name : fn ? roleNameOf(fn.roleArn) : undefined;
  const role = clientRole ?? (roleName ? await readRole(ctx, roleName) : undefined);
  if (role) await restoreRole(ctx, stack, role, others, result);
  else if (client.kind === 'lambda') result.notes.push(`The role of ${describeClient(client)} is unknown (the function is gone): its inline policy ${connectPolicyName(stack)}, if any, is left.`);

  const description = ruleDescription(stack, client);
  if (proxyGroup) {
    for (const rule of stackRules(proxyGroup.ingress, stack, POSTGRES_PORT)) {
      const own = ownGroups.has(rule.peerGroupId) || rule.description === description;
      if (!own || otherGroups.has(rule.peerGroupId)) continue;
      await revokeRule(ctx, 'ingress', proxyGroup.id, rule.peerGroupId, rule.description);
      result.undone.push(`${describeRule('ingress', proxyGroup.id, rule.peerGroupId)} removed`);
    }
  }
  for (const group of (await readGroups(ctx, [...ownGroups].filter((id) => !otherGroups.has(id)))).values()) {
    for (const rule of stackRules(group.egress, stack, POSTGRES_PORT)) {
      if (rule.peerGroupId !== target.proxySecurityGroupId && rule.description !== description) continue;
      await revokeRule(ctx, 'egress', group.id, rule.peerGroupId, rule.description);
      result.undone.push(`${describeRule('egress', group.id, rule.peerGroupId)} removed`);
    }
  }
  if (clientGroup && !otherGroups.has(clientGroup.id)) {
    if ((await deleteClientGroup(ctx, clientGroup.id)) === 'deleted') result.undone.push(`security group ${clientGroup.name} (${clientGroup.id}) deleted`);
    else {
      result.notes.push(
        `Security group ${clientGroup.name} (${clientGroup.id}) is still in use (Lambda releases a function's network interfaces some minutes after it leaves a VPC): kept; \`rdsproxy-setup teardown --name ${stack}\` deletes it.`,
      );
    }
  }

  // The records go last, the index entry very last: until then a new revoke finds what is left to do.
  const recordKeys = records.keys.filter((k) => client.kind === 'lambda' || k !== vpcAccessTagKey(stack));
  if (fn && recordKeys.length > 0) await untagFunction(ctx, fn, recordKeys);
  if (clientRole && recordKeys.length > 0) await untagRole(ctx, clientRole.name, recordKeys);
  if (recordKeys.length > 0) result.undone.push(`records removed from ${describeClient(client)}`);
  if (proxyGroup && entry) {
    await untagGroup(ctx, proxyGroup.id, { [indexTagKey(client)]: entry.user });
    result.undone.push(`index entry removed from ${proxyGroup.id}`);
  }
  return result;
}

/** Revokes every client in the stack's index, one after the other; the first failure stops it. */
export async function revokeAllClients(ctx: GrantContext, target: StackTarget): Promise<RevokeResult[]> {
  const { entries } = await readIndex(ctx, target.proxySecurityGroupId);
  const results: RevokeResult[] = [];
  for (const entry of entries) results.push(await revokeClient(ctx, target, entry.client));
  return results;
}
