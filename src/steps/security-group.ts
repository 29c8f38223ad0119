import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
  type SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import { aws, isErrorNamed, isNotFound } from '../aws/errors.js';
import { POSTGRES_PORT, STACK_TAG_KEY, hasStackTag, createdTags, runIdOf } from '../config/names.js';
import { CliError, ForeignResourceError } from '../errors.js';
import { formatElapsed } from '../config/timing.js';
import { retryTransient } from '../waiters/retry.js';
import type { SecurityGroup } from './resources.js';
import type { BuildContext, ResourceSummary, ReadContext } from './step.js';

/** The field of a Change about the one ingress rule a stack's group wants. */
export const POSTGRES_INGRESS = `ingress tcp/${POSTGRES_PORT}`;

/** Where PostgreSQL traffic may come from: another security group or an IPv4 range. */
export type IngressSource = { groupId: string } | { cidr: string };

export function describeSource(source: IngressSource): string {
  return 'groupId' in source ? `security group ${source.groupId}` : source.cidr;
}

/** "tcp 5432 from 0.0.0.0/0 (sgr-…)": an existing rule, as a user would recognise it. */
export function describeRule(rule: SecurityGroupRule): string {
  const ports =
    rule.IpProtocol === '-1'
      ? 'all traffic'
      : `${rule.IpProtocol} ${rule.FromPort === rule.ToPort ? rule.FromPort : `${rule.FromPort}-${rule.ToPort}`}`;
  const from =
    rule.ReferencedGroupInfo?.GroupId !== undefined
      ? `security group ${rule.ReferencedGroupInfo.GroupId}`
      : (rule.CidrIpv4 ?? rule.CidrIpv6 ?? rule.PrefixListId ?? 'unknown source');
  return `${ports} from ${from} (${rule.SecurityGroupRuleId})`;
}

/** True for exactly the rule we add: TCP on the PostgreSQL port from that source. */
export function isPostgresRuleFrom(rule: SecurityGroupRule, source: IngressSource): boolean {
  if (rule.IsEgress || rule.IpProtocol !== 'tcp' || rule.FromPort !== POSTGRES_PORT || rule.ToPort !== POSTGRES_PORT) {
    return false;
  }
  return 'groupId' in source ? rule.ReferencedGroupInfo?.GroupId === source.groupId : rule.CidrIpv4 === source.cidr;
}

/**
 * Finds the group by name, in the given VPC when `up` resolved one; status and teardown do not
 * know the VPC the stack was built in and look in all of them. A group with our name but
 * without our tag is someone else's.
 */
export async function findSecurityGroup(
  ctx: ReadContext,
  name: string,
  vpcId: string | undefined,
): Promise<SecurityGroup | undefined> {
  const ec2 = await ctx.clients.ec2();
  const { SecurityGroups } = await aws(`looking up security group ${name}`, () =>
    ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [{ Name: 'group-name', Values: [name] }, ...(vpcId ? [{ Name: 'vpc-id', Values: [vpcId] }] : [])],
      }),
    ),
  );
  const groups = (SecurityGroups ?? []).filter((g) => g.GroupId);
  const ours = groups.find((g) => hasStackTag(g.Tags, ctx.config.stack));
  if (ours) return { id: ours.GroupId!, name, vpcId: ours.VpcId ?? vpcId ?? '', runId: runIdOf(ours.Tags) };
  const foreign = groups[0];
  if (foreign) {
    throw new ForeignResourceError('Security group', `${name} (${foreign.GroupId})`, STACK_TAG_KEY, ctx.config.stack);
  }
  return undefined;
}

/**
 * Creates the group and its one PostgreSQL ingress rule. The step returns the group only when
 * both calls succeeded, so if the rule is refused (say --client-sg is in another VPC) the new
 * group is deleted here before the error goes on: rollback never learns of it.
 */
export async function createSecurityGroupWithIngress(
  ctx: BuildContext,
  name: string,
  vpcId: string,
  description: string,
  source: IngressSource,
): Promise<SecurityGroup> {
  const group = await createSecurityGroup(ctx, name, vpcId, description);
  try {
    await authorizePostgresIngress(ctx, group, source);
    return group;
  } catch (err) {
    const cleanup = await deleteSecurityGroup(ctx, group).then(
      () => undefined,
      (cleanupErr: unknown) => cleanupErr,
    );
    if (cleanup === undefined || !(err instanceof CliError)) throw err;
    throw new CliError(err.message, {
      hint: `The new ${name} (${group.id}) could not be removed either; delete it with: ${manualDeleteSecurityGroup(ctx, group)}`,
      source: err.source,
      code: err.code,
      cause: err,
    });
  }
}

async function createSecurityGroup(
  ctx: BuildContext,
  name: string,
  vpcId: string,
  description: string,
): Promise<SecurityGroup> {
  const ec2 = await ctx.clients.ec2();
  const { GroupId } = await aws(`creating security group ${name}`, () =>
    ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: name,
        Description: description,
        VpcId: vpcId,
        TagSpecifications: [
          { ResourceType: 'security-group', Tags: [...createdTags(ctx.config.stack, ctx.runId), { Key: 'Name', Value: name }] },
        ],
      }),
    ),
  );
  if (!GroupId) throw new CliError(`creating security group ${name}: AWS returned no group id.`, { source: 'aws' });
  return { id: GroupId, name, vpcId };
}

export async function ingressRules(ctx: ReadContext, group: SecurityGroup): Promise<SecurityGroupRule[]> {
  const ec2 = await ctx.clients.ec2();
  const rules: SecurityGroupRule[] = [];
  let NextToken: string | undefined;
  do {
    const page = await aws(`reading the rules of security group ${group.name}`, () =>
      ec2.send(
        new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [group.id] }], NextToken }),
      ),
    );
    rules.push(...(page.SecurityGroupRules ?? []).filter((r) => !r.IsEgress));
    NextToken = page.NextToken;
  } while (NextToken);
  return rules;
}

/** The description of every rule this tool adds: how a later run knows the rules it added. */
function ruleDescription(ctx: ReadContext): string {
  return `rdsproxy-setup ${ctx.config.stack}: PostgreSQL`;
}

/** True for a rule this tool added to one of the stack's groups. */
export function isRuleWeAdded(ctx: ReadContext, rule: SecurityGroupRule): boolean {
  return rule.Description === ruleDescription(ctx);
}

function postgresPermission(ctx: ReadContext, source: IngressSource): IpPermission {
  const Description = ruleDescription(ctx);
  return {
    IpProtocol: 'tcp',
    FromPort: POSTGRES_PORT,
    ToPort: POSTGRES_PORT,
    ...('groupId' in source
      ? { UserIdGroupPairs: [{ GroupId: source.groupId, Description }] }
      : { IpRanges: [{ CidrIp: source.cidr, Description }] }),
  };
}

/** Allows TCP on the PostgreSQL port from the source; an identical existing rule counts as done. */
export async function authorizePostgresIngress(
  ctx: ReadContext,
  group: SecurityGroup,
  source: IngressSource,
): Promise<void> {
  const ec2 = await ctx.clients.ec2();
  try {
    await aws(`allowing PostgreSQL from ${describeSource(source)} into security group ${group.name}`, () =>
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({ GroupId: group.id, IpPermissions: [postgresPermission(ctx, source)] }),
      ),
    );
  } catch (err) {
    if (!isErrorNamed(err, 'InvalidPermission.Duplicate')) throw err;
  }
}

/**
 * Removes the rules by id. One of them already gone (removed by someone else mid-run) fails the
 * whole call with InvalidSecurityGroupRuleId.NotFound: the rules still there are removed again.
 */
export async function revokeIngressRules(ctx: ReadContext, group: SecurityGroup, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const ec2 = await ctx.clients.ec2();
  const revoke = (some: readonly string[]) =>
    aws(`removing ingress rules ${some.join(', ')} from security group ${group.name}`, () =>
      ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: group.id, SecurityGroupRuleIds: [...some] })),
    );
  try {
    await revoke(ids);
  } catch (err) {
    if (!isErrorNamed(err, 'InvalidSecurityGroupRuleId.NotFound')) throw err;
    const present = new Set((await ingressRules(ctx, group)).map((r) => r.SecurityGroupRuleId));
    const left = ids.filter((id) => present.has(id));
    if (left.length > 0) await revoke(left);
  }
}

export function manualDeleteSecurityGroup(ctx: ReadContext, group: SecurityGroup): string {
  return `aws ec2 delete-security-group --group-id ${group.id} --region ${ctx.config.region}`;
}

/**
 * Deletes the group; gone already counts as success. A group stays "in use" (DependencyViolation)
 * for minutes after the proxy or cluster using it is deleted, until their network interfaces are
 * released, so that answer is retried within ctx.timing.retry.
 */
export async function deleteSecurityGroup(ctx: ReadContext, group: SecurityGroup): Promise<void> {
  const ec2 = await ctx.clients.ec2();
  const what = `security group ${group.name} (${group.id})`;
  try {
    await retryTransient(
      () => aws(`deleting ${what}`, () => ec2.send(new DeleteSecurityGroupCommand({ GroupId: group.id }))),
      {
        ...ctx.timing.retry,
        signal: ctx.signal,
        isTransient: (err) => isErrorNamed(err, 'DependencyViolation'),
        onRetry: () =>
          ctx.progress({
            kind: 'retrying',
            what,
            because: 'still in use (network interfaces of the deleted proxy or cluster are released slowly)',
          }),
      },
    );
  } catch (err) {
    if (isNotFound(err)) return;
    if (isErrorNamed(err, 'DependencyViolation')) {
      throw new CliError(`${what} is still in use after ${formatElapsed(ctx.timing.retry.timeoutMs)} of retrying.`, {
        hint: `Network interfaces can take several minutes to be released. Delete it later with: ${manualDeleteSecurityGroup(ctx, group)}`,
        source: 'aws',
        code: 'DependencyViolation',
        cause: err,
      });
    }
    throw err;
  }
}

export function securityGroupSummary(group: SecurityGroup): ResourceSummary {
  return { id: group.id, state: 'available' };
}
