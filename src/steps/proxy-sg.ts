import {
  authorizePostgresIngress,
  createSecurityGroupWithIngress,
  deleteSecurityGroup,
  describeRule,
  describeSource,
  findSecurityGroup,
  ingressRules,
  isPostgresRuleFrom,
  isRuleWeAdded,
  manualDeleteSecurityGroup,
  POSTGRES_INGRESS,
  revokeIngressRules,
  securityGroupSummary,
  type IngressSource,
} from './security-group.js';
import { needed, type BuildContext, type Change, type Step } from './step.js';

/** A rule this tool added for clients it no longer admits. */
const REPLACED = 'absent (added by this tool for a client source no longer given)';

/** Clients reach the proxy from --client-sg, else --client-cidr, else anywhere in the VPC. */
function clientSource(ctx: BuildContext): IngressSource {
  const { clientSecurityGroup, clientCidr } = ctx.settings;
  if (clientSecurityGroup !== undefined) return { groupId: clientSecurityGroup };
  return { cidr: clientCidr ?? needed(ctx, 'network').vpcCidr };
}

export const proxySgStep: Step<'proxy-sg'> = {
  id: 'proxy-sg',
  title: 'proxy security group',
  needs: ['network'],
  owned: true,
  plannedId: (ctx) => ctx.names.proxySecurityGroup,

  // In `up` it looks in the network step's VPC; status and teardown search every VPC for the tagged group.
  findAfter: ['network'],
  find: (ctx) => findSecurityGroup(ctx, ctx.names.proxySecurityGroup, ctx.resources.network?.vpcId),

  create: (ctx) =>
    createSecurityGroupWithIngress(
      ctx,
      ctx.names.proxySecurityGroup,
      needed(ctx, 'network').vpcId,
      `rdsproxy-setup ${ctx.config.stack}: clients to RDS Proxy`,
      clientSource(ctx),
    ),

  /**
   * The wanted rule if it is missing, and each rule this tool added for a source no longer
   * wanted (--client-cidr or --client-sg changed). Rules someone else added are left alone.
   */
  async drift(ctx, group) {
    const source = clientSource(ctx);
    const rules = await ingressRules(ctx, group);
    const missing: Change[] = rules.some((r) => isPostgresRuleFrom(r, source))
      ? []
      : [{ field: POSTGRES_INGRESS, have: 'missing', want: `from ${describeSource(source)}` }];
    const replaced = rules
      .filter((r) => isRuleWeAdded(ctx, r) && !isPostgresRuleFrom(r, source))
      .map((r): Change => ({ field: 'ingress rule', ref: r.SecurityGroupRuleId, have: describeRule(r), want: REPLACED }));
    return [...missing, ...replaced];
  },

  async converge(ctx, group, changes) {
    if (changes.some((c) => c.field === POSTGRES_INGRESS)) await authorizePostgresIngress(ctx, group, clientSource(ctx));
    const replaced = changes.filter((c) => c.want === REPLACED).map((c) => c.ref);
    await revokeIngressRules(ctx, group, replaced.filter((id): id is string => id !== undefined));
    return group;
  },

  destroy: (ctx, group) => deleteSecurityGroup(ctx, group),
  manualDelete: manualDeleteSecurityGroup,
  summary: securityGroupSummary,
};
