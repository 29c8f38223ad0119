import { AWS_LIMITS } from '../config/aws-limits.js';
import { GrantRun, indexAction, roleTagsAction } from './actions.js';
import { connectPolicyChange, networkChanges } from './client-access.js';
import type { GrantContext } from './context.js';
import type { GrantResult } from './grant-result.js';
import { readRole } from './iam-role.js';
import { readProxyGroup } from './proxy-group.js';
import { clientRecords, clientSgTagKey, clientTagKey, indexTagKey, type ClientRef } from './records.js';
import { refusal, refuseOtherUser, refuseServiceLinkedRole, refuseTagLimit, roleNameIn, userFor } from './refusals.js';
import { readGroups } from './security-groups.js';
import type { GrantTarget } from './target.js';

export interface RoleGrantRequest {
  /** Its name or ARN. */
  role: string;
  user?: string;
  /** The security group the role's workload runs with (ECS task, EC2 instance, EKS pod): admitted to the proxy. */
  clientSecurityGroupId?: string;
}

/**
 * Wires an IAM role (of an ECS task, an EC2 instance, an EKS pod or anything else) to the stack's
 * proxy: rds-db:connect for the user, and with --client-sg the network path from that group.
 */
export async function grantRole(ctx: GrantContext, target: GrantTarget, request: RoleGrantRequest): Promise<GrantResult> {
  const { stack } = target;
  const name = roleNameIn(target, request.role);
  const user = userFor(target, request.user);
  const sg = request.clientSecurityGroupId;
  const [role, proxyGroup, groups] = await Promise.all([
    readRole(ctx, name),
    readProxyGroup(ctx, target),
    sg ? readGroups(ctx, [sg]) : Promise.resolve(undefined),
  ]);
  if (!role) throw refusal(`IAM role ${name} does not exist.`, 'Check its name (or ARN).');
  refuseServiceLinkedRole(role, '');
  const client: ClientRef = { kind: 'role', name: role.name };
  const records = clientRecords(stack, role.tags);
  refuseOtherUser(stack, client, proxyGroup.tags, records.user, user);
  const clientGroup = sg ? groups?.get(sg) : undefined;
  if (sg && !clientGroup) throw refusal(`Security group ${sg} (--client-sg) does not exist in ${target.region}.`);
  if (clientGroup && clientGroup.vpcId !== target.proxy.vpcId) {
    throw refusal(
      `Security group ${sg} (--client-sg) is in VPC ${clientGroup.vpcId}, the proxy in ${target.proxy.vpcId}: grant wires clients in the proxy's VPC only (VPC peering and transit gateways are out of its scope).`,
    );
  }
  if (sg && records.clientSecurityGroupId !== undefined && records.clientSecurityGroupId !== sg) {
    throw refusal(
      `IAM role ${role.name} is a client of stack ${stack} with --client-sg ${records.clientSecurityGroupId}.`,
      `Run \`rdsproxy-setup revoke --role ${role.name} --name ${stack}\` first to grant it with ${sg}.`,
    );
  }
  const policy = connectPolicyChange(ctx, target, role, user);
  const roleTags: Record<string, string> = {
    ...(records.user === undefined ? { [clientTagKey(stack)]: user } : {}),
    ...(sg && records.clientSecurityGroupId === undefined ? { [clientSgTagKey(stack)]: sg } : {}),
  };
  const indexKey = indexTagKey(client);
  const indexTags: Record<string, string> = proxyGroup.tags[indexKey] === user ? {} : { [indexKey]: user };
  refuseTagLimit(`the proxy's security group ${proxyGroup.id}`, proxyGroup.tags, indexTags, AWS_LIMITS.ec2TagsPerResource.max);
  refuseTagLimit(`IAM role ${role.name}`, role.tags, roleTags, AWS_LIMITS.iamTagsPerRole.max);

  const notes = sg ? [] : [`No --client-sg: only the permission was granted; the network path from your workload to ${proxyGroup.id} on 5432 is yours to open.`];
  const run = new GrantRun(ctx);
  try {
    if (Object.keys(indexTags).length > 0) await run.apply(indexAction(ctx, proxyGroup.id, indexKey, user));
    if (Object.keys(roleTags).length > 0) await run.apply(roleTagsAction(ctx, role.name, roleTags));
    for (const action of networkChanges(ctx, target, proxyGroup, clientGroup ? [clientGroup] : [], client)) await run.apply(action);
    if (policy) await run.apply(policy);
  } catch (err) {
    throw await run.failed(err);
  }
  return { client, user, changes: run.changed, notes };
}
