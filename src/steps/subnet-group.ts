import {
  CreateDBSubnetGroupCommand,
  DeleteDBSubnetGroupCommand,
  DescribeDBSubnetGroupsCommand,
  ListTagsForResourceCommand,
  ModifyDBSubnetGroupCommand,
  type DBSubnetGroup,
} from '@aws-sdk/client-rds';
import { aws, isNotFound, unlessNotFound } from '../aws/errors.js';
import { STACK_TAG_KEY, hasStackTag, createdTags, runIdOf } from '../config/names.js';
import { CliError, ForeignResourceError } from '../errors.js';
import type { SubnetGroup } from './resources.js';
import { needed, type Step, type ReadContext } from './step.js';

async function describeSubnetGroup(ctx: ReadContext, name: string): Promise<DBSubnetGroup | undefined> {
  const rds = await ctx.clients.rds();
  const out = await unlessNotFound(() =>
    aws(`looking up DB subnet group ${name}`, () => rds.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: name }))),
  );
  return out?.DBSubnetGroups?.[0];
}

function subnetGroup(group: DBSubnetGroup, reused: boolean): SubnetGroup {
  return {
    name: group.DBSubnetGroupName ?? '',
    arn: group.DBSubnetGroupArn,
    subnetIds: (group.Subnets ?? []).map((s) => s.SubnetIdentifier ?? ''),
    reused,
  };
}

function sameSubnets(a: readonly string[], b: readonly string[]): boolean {
  const wanted = new Set(b);
  return a.length === wanted.size && a.every((id) => wanted.has(id));
}

/** --db-subnet-group is used as it is; otherwise the stack's own group, recognised by its tag. */
async function findSubnetGroup(ctx: ReadContext): Promise<SubnetGroup | undefined> {
  // status and teardown do not know --db-subnet-group: they look for the stack's own group.
  const given = ctx.settings?.dbSubnetGroup;
  if (given !== undefined) {
    const group = await describeSubnetGroup(ctx, given);
    if (!group) throw new CliError(`--db-subnet-group: DB subnet group ${given} no longer exists.`, { source: 'user' });
    return subnetGroup(group, true);
  }
  const name = ctx.names.subnetGroup;
  const group = await describeSubnetGroup(ctx, name);
  if (!group) return undefined;
  const rds = await ctx.clients.rds();
  const { TagList } = await aws(`reading the tags of DB subnet group ${name}`, () =>
    rds.send(new ListTagsForResourceCommand({ ResourceName: group.DBSubnetGroupArn })),
  );
  if (!hasStackTag(TagList, ctx.config.stack)) {
    throw new ForeignResourceError('DB subnet group', name, STACK_TAG_KEY, ctx.config.stack);
  }
  return { ...subnetGroup(group, false), runId: runIdOf(TagList) };
}

export const subnetGroupStep: Step<'subnet-group'> = {
  id: 'subnet-group',
  title: 'DB subnet group',
  needs: ['network'],
  owned: true,

  plannedId: (ctx) => ctx.settings?.dbSubnetGroup ?? ctx.names.subnetGroup,
  find: findSubnetGroup,

  async create(ctx) {
    const name = ctx.names.subnetGroup;
    const rds = await ctx.clients.rds();
    const { DBSubnetGroup } = await aws(`creating DB subnet group ${name}`, () =>
      rds.send(
        new CreateDBSubnetGroupCommand({
          DBSubnetGroupName: name,
          DBSubnetGroupDescription: `rdsproxy-setup ${ctx.config.stack}`,
          SubnetIds: needed(ctx, 'network').subnetIds,
          Tags: createdTags(ctx.config.stack, ctx.runId),
        }),
      ),
    );
    return DBSubnetGroup ? subnetGroup(DBSubnetGroup, false) : { name, subnetIds: needed(ctx, 'network').subnetIds, reused: false };
  },

  async drift(ctx, group) {
    const wanted = needed(ctx, 'network').subnetIds;
    if (group.reused || sameSubnets(group.subnetIds, wanted)) return [];
    return [{ field: 'SubnetIds', have: group.subnetIds.join(', '), want: wanted.join(', ') }];
  },

  async converge(ctx, group) {
    const rds = await ctx.clients.rds();
    const { DBSubnetGroup } = await aws(`changing the subnets of DB subnet group ${group.name}`, () =>
      rds.send(
        new ModifyDBSubnetGroupCommand({ DBSubnetGroupName: group.name, SubnetIds: needed(ctx, 'network').subnetIds }),
      ),
    );
    return DBSubnetGroup ? subnetGroup(DBSubnetGroup, false) : group;
  },

  async destroy(ctx, group) {
    if (group.reused) return;
    const rds = await ctx.clients.rds();
    try {
      await aws(`deleting DB subnet group ${group.name}`, () =>
        rds.send(new DeleteDBSubnetGroupCommand({ DBSubnetGroupName: group.name })),
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },

  manualDelete: (ctx, group) =>
    `aws rds delete-db-subnet-group --db-subnet-group-name ${group.name} --region ${ctx.config.region}`,

  summary: (group) => ({ id: group.name, arn: group.arn, state: group.reused ? 'reused' : 'available' }),
};
