import {
  authorizePostgresIngress,
  createSecurityGroupWithIngress,
  deleteSecurityGroup,
  describeSource,
  findSecurityGroup,
  ingressRules,
  isPostgresRuleFrom,
  manualDeleteSecurityGroup,
  POSTGRES_INGRESS,
  securityGroupSummary,
  type IngressSource,
} from './security-group.js';
import { needed, type Step, type BuildContext } from './step.js';

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

  find: (ctx) => findSecurityGroup(ctx, ctx.names.proxySecurityGroup, ctx.resources.network?.vpcId),

  create: (ctx) =>
    createSecurityGroupWithIngress(
      ctx,
      ctx.names.proxySecurityGroup,
      needed(ctx, 'network').vpcId,
      `rdsproxy-setup ${ctx.config.stack}: clients to RDS Proxy`,
      clientSource(ctx),
    ),

  async drift(ctx, group) {
    const source = clientSource(ctx);
    const rules = await ingressRules(ctx, group);
    if (rules.some((r) => isPostgresRuleFrom(r, source))) return [];
    return [{ field: POSTGRES_INGRESS, have: 'missing', want: `from ${describeSource(source)}` }];
  },

  async converge(ctx, group) {
    await authorizePostgresIngress(ctx, group, clientSource(ctx));
    return group;
  },

  destroy: (ctx, group) => deleteSecurityGroup(ctx, group),
  manualDelete: manualDeleteSecurityGroup,
  summary: securityGroupSummary,
};
