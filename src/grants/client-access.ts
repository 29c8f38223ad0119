import { AWS_LIMITS } from '../config/aws-limits.js';
import { connectResourceArn } from '../config/arns.js';
import { POSTGRES_PORT } from '../config/names.js';
import { policyAction, ruleAction, type GrantAction } from './actions.js';
import { connectPolicyDocument, connectPolicyResources, policySize, userOfConnectResource } from './connect-policy.js';
import type { GrantContext } from './context.js';
import type { RoleFacts } from './iam-role.js';
import { admitsGroup, allowsEgressTo } from './network-rules.js';
import { connectPolicyName, ruleDescription, type ClientRef } from './records.js';
import { refusal } from './refusals.js';
import type { GroupFacts } from './security-groups.js';
import type { GrantTarget } from './target.js';

/**
 * The connect policy a role needs for this user: none when the stack's policy already allows it,
 * else that policy with the user's resource added. Refused when the role's inline policies would
 * outgrow IAM's quota.
 */
export function connectPolicyChange(ctx: GrantContext, target: GrantTarget, role: RoleFacts, user: string): GrantAction | undefined {
  const name = connectPolicyName(target.stack);
  const resource = connectResourceArn(target.proxy.arn, user)!;
  const prior = role.inlinePolicies.get(name);
  const resources = connectPolicyResources(prior);
  if (resources.includes(resource)) return undefined;
  const document = connectPolicyDocument([...resources, resource]);
  const others = [...role.inlinePolicies].filter(([n]) => n !== name).reduce((sum, [, d]) => sum + policySize(d), 0);
  const limit = AWS_LIMITS.rolePolicySize.max;
  if (others + policySize(document) > limit) {
    throw refusal(
      `IAM role ${role.name}'s inline policies would hold ${others + policySize(document)} characters with ${name}, over IAM's limit of ${limit} for a role.`,
      `Make room in its inline policies (for instance move some into a managed policy), then grant again.`,
    );
  }
  const users = [...new Set([...resources, resource].map(userOfConnectResource))].join(', ');
  return policyAction(ctx, role.name, target.stack, document, prior, users);
}

/**
 * The network path from the client's groups to the proxy's: an ingress rule from a client group
 * unless one of them is admitted already, and egress to the proxy's group unless one of them
 * allows it already. Each added rule is described with its record.
 */
export function networkChanges(
  ctx: GrantContext,
  target: GrantTarget,
  proxyGroup: GroupFacts,
  clientGroups: readonly Pick<GroupFacts, 'id' | 'egress'>[],
  client: ClientRef,
): GrantAction[] {
  const [first] = clientGroups;
  if (!first) return [];
  const description = ruleDescription(target.stack, client);
  const actions: GrantAction[] = [];
  if (!clientGroups.some((g) => admitsGroup(proxyGroup.ingress, g.id, POSTGRES_PORT))) {
    actions.push(ruleAction(ctx, 'ingress', proxyGroup.id, first.id, target.stack, description));
  }
  if (!clientGroups.some((g) => allowsEgressTo(g.egress, proxyGroup.id, POSTGRES_PORT))) {
    actions.push(ruleAction(ctx, 'egress', first.id, proxyGroup.id, target.stack, description));
  }
  return actions;
}
