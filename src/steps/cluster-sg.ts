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
  revokeIngressRules,
  securityGroupSummary,
  type IngressSource,
} from './security-group.js';
import type { SecurityGroup } from './resources.js';
import { needed, type Step, type StepContext } from './step.js';

/** The cluster is reached only through the proxy: the proxy's security group is the one source. */
function proxySource(ctx: StepContext): IngressSource {
  return { groupId: needed(ctx, 'proxy-sg').id };
}

/** The wanted rule if it is missing, and every other ingress rule (a CIDR someone opened, say). */
async function ruleDrift(ctx: StepContext, group: SecurityGroup) {
  const source = proxySource(ctx);
  const rules = await ingressRules(ctx, group);
  return {
    source,
    missing: !rules.some((r) => isPostgresRuleFrom(r, source)),
    extra: rules.filter((r) => !isPostgresRuleFrom(r, source)),
  };
}

export const clusterSgStep: Step<'cluster-sg'> = {
  id: 'cluster-sg',
  title: 'cluster security group',
  needs: ['proxy-sg'],
  owned: true,

  // In `up` the network step fixes the VPC; status and teardown search every VPC for the tagged group.
  find: (ctx) => findSecurityGroup(ctx, ctx.names.clusterSecurityGroup, ctx.resources.network?.vpcId),

  create: (ctx) =>
    createSecurityGroupWithIngress(
      ctx,
      ctx.names.clusterSecurityGroup,
      needed(ctx, 'network').vpcId,
      `rdsproxy-setup ${ctx.config.stack}: RDS Proxy to Aurora`,
      proxySource(ctx),
    ),

  async drift(ctx, group) {
    const { source, missing, extra } = await ruleDrift(ctx, group);
    return [
      ...(missing ? [`missing ingress: tcp 5432 from ${describeSource(source)}`] : []),
      ...extra.map((r) => `unexpected ingress: ${describeRule(r)}; only the proxy may reach the cluster`),
    ];
  },

  async converge(ctx, group) {
    const { source, missing, extra } = await ruleDrift(ctx, group);
    if (missing) await authorizePostgresIngress(ctx, group, source);
    await revokeIngressRules(ctx, group, extra);
    return group;
  },

  destroy: (ctx, group) => deleteSecurityGroup(ctx, group),
  manualDelete: manualDeleteSecurityGroup,
  summary: securityGroupSummary,
};
