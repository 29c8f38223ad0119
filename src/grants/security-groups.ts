import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DeleteSecurityGroupCommand,
  DeleteTagsCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { aws, isErrorNamed, isNotFound } from '../aws/errors.js';
import { POSTGRES_PORT, STACK_TAG_KEY, hasStackTag, stackTags } from '../config/names.js';
import { CliError, ForeignResourceError } from '../errors.js';
import type { GrantContext } from './context.js';
import { clientSecurityGroupName, tagRecord } from './records.js';

/** A security group as grant reads it: tags and both directions of rules. */
export interface GroupFacts {
  id: string;
  name: string;
  vpcId: string;
  tags: Record<string, string>;
  ingress: IpPermission[];
  egress: IpPermission[];
}

async function describe(ctx: GrantContext, doing: string, filters: { Name: string; Values: string[] }[]): Promise<GroupFacts[]> {
  const ec2 = await ctx.clients.ec2();
  const { SecurityGroups } = await aws(doing, () => ec2.send(new DescribeSecurityGroupsCommand({ Filters: filters })));
  return (SecurityGroups ?? [])
    .filter((g) => g.GroupId)
    .map((g) => ({
      id: g.GroupId!,
      name: g.GroupName ?? '',
      vpcId: g.VpcId ?? '',
      tags: tagRecord(g.Tags),
      ingress: g.IpPermissions ?? [],
      egress: g.IpPermissionsEgress ?? [],
    }));
}

/** The groups that exist among these ids (a filter, so a missing one is simply absent). */
export async function readGroups(ctx: GrantContext, ids: readonly string[]): Promise<Map<string, GroupFacts>> {
  if (ids.length === 0) return new Map();
  const groups = await describe(ctx, `reading security groups ${ids.join(', ')}`, [{ Name: 'group-id', Values: [...ids] }]);
  return new Map(groups.map((g) => [g.id, g]));
}

/** The stack's client security group; one with its name but not its tag is someone else's. */
export async function findClientGroup(ctx: GrantContext, stack: string): Promise<GroupFacts | undefined> {
  const name = clientSecurityGroupName(stack);
  const groups = await describe(ctx, `looking up security group ${name}`, [{ Name: 'group-name', Values: [name] }]);
  const ours = groups.find((g) => hasStackTag(Object.entries(g.tags).map(([Key, Value]) => ({ Key, Value })), stack));
  if (ours) return ours;
  if (groups[0]) throw new ForeignResourceError('Security group', `${name} (${groups[0].id})`, STACK_TAG_KEY, stack);
  return undefined;
}

export async function createClientGroup(ctx: GrantContext, stack: string, vpcId: string): Promise<string> {
  const name = clientSecurityGroupName(stack);
  const ec2 = await ctx.clients.ec2();
  const { GroupId } = await aws(`creating security group ${name}`, () =>
    ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: name,
        Description: `rdsproxy-setup ${stack}: Lambda functions granted access to the proxy`,
        VpcId: vpcId,
        TagSpecifications: [{ ResourceType: 'security-group', Tags: [...stackTags(stack), { Key: 'Name', Value: name }] }],
      }),
    ),
  );
  if (!GroupId) throw new CliError(`creating security group ${name}: AWS returned no group id.`, { source: 'aws' });
  return GroupId;
}

/** Deletes the group once: 'in-use' when AWS still holds it (a function's network interfaces go slowly). */
export async function deleteClientGroup(ctx: GrantContext, groupId: string): Promise<'deleted' | 'in-use'> {
  const ec2 = await ctx.clients.ec2();
  try {
    await aws(`deleting security group ${groupId}`, () => ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId })));
    return 'deleted';
  } catch (err) {
    if (isNotFound(err)) return 'deleted';
    if (isErrorNamed(err, 'DependencyViolation')) return 'in-use';
    throw err;
  }
}

export async function tagGroup(ctx: GrantContext, groupId: string, tags: Readonly<Record<string, string>>): Promise<void> {
  const ec2 = await ctx.clients.ec2();
  await aws(`tagging security group ${groupId}`, () =>
    ec2.send(new CreateTagsCommand({ Resources: [groupId], Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) })),
  );
}

/** Removes the tags that still hold these values (EC2 deletes a tag given with a value only if it matches). */
export async function untagGroup(ctx: GrantContext, groupId: string, tags: Readonly<Record<string, string>>): Promise<void> {
  const ec2 = await ctx.clients.ec2();
  try {
    await aws(`removing tags from security group ${groupId}`, () =>
      ec2.send(new DeleteTagsCommand({ Resources: [groupId], Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) })),
    );
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

function postgresFrom(peerGroupId: string, description?: string): IpPermission[] {
  return [
    {
      IpProtocol: 'tcp',
      FromPort: POSTGRES_PORT,
      ToPort: POSTGRES_PORT,
      UserIdGroupPairs: [{ GroupId: peerGroupId, ...(description ? { Description: description } : {}) }],
    },
  ];
}

export type Direction = 'ingress' | 'egress';

export const describeRule = (direction: Direction, groupId: string, peerGroupId: string): string =>
  direction === 'ingress'
    ? `ingress tcp/${POSTGRES_PORT} from ${peerGroupId} on ${groupId}`
    : `egress tcp/${POSTGRES_PORT} to ${peerGroupId} on ${groupId}`;

/** Adds TCP 5432 from (ingress) or to (egress) the peer group, described with its record. */
export async function authorizeRule(ctx: GrantContext, direction: Direction, groupId: string, peerGroupId: string, description: string): Promise<void> {
  const ec2 = await ctx.clients.ec2();
  const input = { GroupId: groupId, IpPermissions: postgresFrom(peerGroupId, description) };
  await aws(`adding ${describeRule(direction, groupId, peerGroupId)}`, async () => {
    if (direction === 'ingress') await ec2.send(new AuthorizeSecurityGroupIngressCommand(input));
    else await ec2.send(new AuthorizeSecurityGroupEgressCommand(input));
  });
}

/**
 * Removes that rule; gone already is done. The rule's description goes with the request: AWS
 * matches rules without it, and moto only with it.
 */
export async function revokeRule(ctx: GrantContext, direction: Direction, groupId: string, peerGroupId: string, description: string): Promise<void> {
  const ec2 = await ctx.clients.ec2();
  const input = { GroupId: groupId, IpPermissions: postgresFrom(peerGroupId, description) };
  try {
    await aws(`removing ${describeRule(direction, groupId, peerGroupId)}`, async () => {
      if (direction === 'ingress') await ec2.send(new RevokeSecurityGroupIngressCommand(input));
      else await ec2.send(new RevokeSecurityGroupEgressCommand(input));
    });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
