import {
  authorizePostgresIngress,
  createSecurityGroupWithIngress,
  deleteSecurityGroup,
  describeRule,
  describeSource,
  findSecurityGroup,
  ingressRules,
  isPostgresRuleFrom,
  manualDeleteSecurityGroup,
  POSTGRES_INGRESS,
  revokeIngressRules,
  securityGroupSummary,
  type IngressSource,
} from './security-group.js';
import type { SecurityGroup } from './resources.js';
import { needed, type Change, type ReadContext, type Step } from './step.js';

/** The cluster is reached only through the proxy: the proxy's security group is the one source. */
function proxySource(ctx: ReadContext): IngressSource {
  return { groupId: needed(ctx, 'proxy-sg').id };
}

/** Every other ingress rule is removed: only the proxy may reach the cluster. */
const UNWANTED = 'absent (only the proxy may reach the cluster)';

/** The wanted rule if it is missing, and every other ingress rule (a CIDR someone opened, say). */
async function ruleChanges(ctx: ReadContext, group: SecurityGroup): Promise<Change[]> {
  const source = proxySource(ctx);
  const rules = await ingressRules(ctx, group);
  const missing: Change[] = rules.some((r) => isPostgresRuleFrom(r, source))
    ? []
    : [{ field: POSTGRES_INGRESS, have: 'missing', want: `from ${describeSource(source)}` }];
  const extra = rules
    .filter((r) => !isPostgresRuleFrom(r, source))
    .map((r): Change => ({ field: 'ingress rule', ref: r.SecurityGroupRuleId, have: describeRule(r), want: UNWANTED }));
  return [...missing, ...extra];
}

export const clusterSgStep: Step<'cluster-sg'> = {
  id: 'cluster-sg',
  title: 'cluster security group',
  needs: ['proxy-sg'],
  owned: true,
  plannedId: (ctx) => ctx.names.clusterSecurityGroup,

  // In `up` the network step fixes the VPC; status and teardown search every VPC for the tagged group.
  findAfter: ['network'],
  find: (ctx) => findSecurityGroup(ctx, ctx.names.clusterSecurityGroup, ctx.resources.network?.vpcId),

  create: (ctx) =>
    createSecurityGroupWithIngress(
      ctx,
      ctx.names.clusterSecurityGroup,
      needed(ctx, 'network').vpcId,
      `rdsproxy-setup ${ctx.config.stack}: RDS Proxy to Aurora`,
      proxySource(ctx),
    ),

  drift: ruleChanges,

  async converge(ctx, group, changes) {
    if (changes.some((c) => c.field === POSTGRES_INGRESS)) await authorizePostgresIngress(ctx, group, proxySource(ctx));
    const unwanted = changes.filter((c) => c.want === UNWANTED).map((c) => c.ref);
    await revokeIngressRules(ctx, group, unwanted.filter((id): id is string => id !== undefined));
    return group;
  },

  destroy: (ctx, group) => deleteSecurityGroup(ctx, group),
  manualDelete: manualDeleteSecurityGroup,
  summary: securityGroupSummary,
};
