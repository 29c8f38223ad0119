import {
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type DescribeSubnetsCommandInput,
  type SecurityGroup,
  type Subnet,
  type Vpc,
} from '@aws-sdk/client-ec2';
import { DescribeDBSubnetGroupsCommand } from '@aws-sdk/client-rds';
import { aws, isNotFound } from '../aws/errors.js';
import { CliError, UsageError } from '../errors.js';
import type { Network } from './resources.js';
import { wantedSettings, type BuildContext, type ReadContext, type Step } from './step.js';

/** The network is resolved from `up`'s settings, in the plan's reads as in the run: no run id needed. */
type NetworkContext = ReadContext & Pick<BuildContext, 'settings'>;

/** A DB subnet group holds at most 20 subnets (RDS quota). */
const MAX_SUBNETS = 20;

interface PlacedSubnet {
  id: string;
  vpcId: string;
  availabilityZone: string;
}

/** Where the subnets came from, named as the user would fix it. */
interface SubnetSource {
  option: string;
  vpcId: string;
  subnets: PlacedSubnet[];
}

function placed(subnet: Subnet): PlacedSubnet {
  return { id: subnet.SubnetId ?? '', vpcId: subnet.VpcId ?? '', availabilityZone: subnet.AvailabilityZone ?? '' };
}

async function describeSubnets(ctx: NetworkContext, input: DescribeSubnetsCommandInput): Promise<PlacedSubnet[]> {
  const ec2 = await ctx.clients.ec2();
  const subnets: PlacedSubnet[] = [];
  let NextToken: string | undefined;
  do {
    const page = await aws('describing subnets', () => ec2.send(new DescribeSubnetsCommand({ ...input, NextToken })));
    subnets.push(...(page.Subnets ?? []).map(placed));
    NextToken = page.NextToken;
  } while (NextToken);
  return subnets;
}

async function describeVpc(ctx: NetworkContext, vpcId: string, option: string): Promise<Vpc> {
  const ec2 = await ctx.clients.ec2();
  try {
    const { Vpcs } = await aws(`describing VPC ${vpcId}`, () => ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })));
    const vpc = Vpcs?.[0];
    if (vpc) return vpc;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  throw new UsageError(`${option}: VPC ${vpcId} does not exist in ${ctx.config.region}.`);
}

async function defaultVpc(ctx: NetworkContext): Promise<Vpc> {
  const ec2 = await ctx.clients.ec2();
  const { Vpcs } = await aws('looking up the default VPC', () =>
    ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] })),
  );
  const vpc = Vpcs?.[0];
  if (!vpc) {
    throw new CliError(`There is no default VPC in ${ctx.config.region}.`, {
      hint: 'Pass --vpc-id (and --subnet-ids) to choose the VPC the stack goes into.',
      source: 'user',
      code: 'NoDefaultVpc',
    });
  }
  return vpc;
}

async function givenSubnets(ctx: NetworkContext, ids: string[]): Promise<SubnetSource> {
  let subnets: PlacedSubnet[];
  try {
    subnets = await describeSubnets(ctx, { SubnetIds: ids });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    throw new UsageError(`--subnet-ids: ${err instanceof Error ? err.message : String(err)}`);
  }
  const missing = ids.filter((id) => !subnets.some((s) => s.id === id));
  if (missing.length > 0) {
    throw new UsageError(`--subnet-ids: ${missing.join(', ')} do not exist in ${ctx.config.region}.`);
  }
  const vpcs = [...new Set(subnets.map((s) => s.vpcId))];
  if (vpcs.length > 1) {
    const where = subnets.map((s) => `${s.id} in ${s.vpcId}`).join(', ');
    throw new UsageError(`--subnet-ids: the subnets are in different VPCs (${where}); give subnets of one VPC.`);
  }
  const vpcId = ctx.settings.vpcId;
  if (vpcId !== undefined && vpcs[0] !== vpcId) {
    throw new UsageError(`--subnet-ids: the subnets are in ${vpcs[0]}, not in --vpc-id ${vpcId}.`);
  }
  return { option: '--subnet-ids', vpcId: vpcs[0]!, subnets: ids.map((id) => subnets.find((s) => s.id === id)!) };
}

async function subnetGroupSubnets(ctx: NetworkContext, name: string): Promise<SubnetSource> {
  const rds = await ctx.clients.rds();
  let vpcId = '';
  let subnets: PlacedSubnet[];
  try {
    const { DBSubnetGroups } = await aws(`describing DB subnet group ${name}`, () =>
      rds.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: name })),
    );
    const group = DBSubnetGroups?.[0];
    vpcId = group?.VpcId ?? '';
    subnets = (group?.Subnets ?? []).map((s) => ({
      id: s.SubnetIdentifier ?? '',
      vpcId,
      availabilityZone: s.SubnetAvailabilityZone?.Name ?? '',
    }));
  } catch (err) {
    if (!isNotFound(err)) throw err;
    throw new UsageError(`--db-subnet-group: DB subnet group ${name} does not exist in ${ctx.config.region}.`);
  }
  if (ctx.settings.vpcId !== undefined && vpcId !== ctx.settings.vpcId) {
    throw new UsageError(`--db-subnet-group: ${name} is in ${vpcId}, not in --vpc-id ${ctx.settings.vpcId}.`);
  }
  return { option: '--db-subnet-group', vpcId, subnets };
}

/**
 * Spreads a VPC's subnets over its zones, one zone after another, so that cutting the list to the
 * subnet group limit keeps every zone.
 */
function spreadOverZones(subnets: PlacedSubnet[]): PlacedSubnet[] {
  const byZone = new Map<string, PlacedSubnet[]>();
  for (const s of [...subnets].sort((a, b) => a.id.localeCompare(b.id))) {
    byZone.set(s.availabilityZone, [...(byZone.get(s.availabilityZone) ?? []), s]);
  }
  const zones = [...byZone.keys()].sort();
  const spread: PlacedSubnet[] = [];
  for (let round = 0; spread.length < subnets.length; round++) {
    for (const zone of zones) {
      const subnet = byZone.get(zone)?.[round];
      if (subnet) spread.push(subnet);
    }
  }
  return spread.slice(0, MAX_SUBNETS);
}

async function vpcSubnets(ctx: NetworkContext, vpcId: string): Promise<SubnetSource> {
  const subnets = await describeSubnets(ctx, { Filters: [{ Name: 'vpc-id', Values: [vpcId] }] });
  const option = ctx.settings.vpcId === undefined ? `the default VPC ${vpcId}` : `--vpc-id ${vpcId}`;
  return { option, vpcId, subnets: spreadOverZones(subnets) };
}

function zonesOf(subnets: PlacedSubnet[]): string[] {
  return [...new Set(subnets.map((s) => s.availabilityZone))].sort();
}

/**
 * --client-sg must be a group of the stack's VPC: a rule naming a group of another VPC does not
 * work without peering, and AWS would refuse an unknown group only after other resources exist.
 */
async function checkClientGroup(ctx: NetworkContext, groupId: string, vpcId: string): Promise<void> {
  const ec2 = await ctx.clients.ec2();
  let group: SecurityGroup | undefined;
  try {
    const { SecurityGroups } = await aws(`describing security group ${groupId}`, () =>
      ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] })),
    );
    group = SecurityGroups?.[0];
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  if (!group) throw new UsageError(`--client-sg: security group ${groupId} does not exist in ${ctx.config.region}.`);
  if (group.VpcId !== vpcId) {
    throw new UsageError(
      `--client-sg: security group ${groupId} is in ${group.VpcId}, not in the stack's VPC ${vpcId}.`,
      'Give a security group of the VPC the proxy is in (clients in another VPC need peering, which this tool does not set up).',
    );
  }
}

/**
 * Resolves the VPC and subnets from --vpc-id, --subnet-ids or --db-subnet-group (else the default
 * VPC) and rejects fewer than two Availability Zones: all of it before anything is written.
 */
export async function resolveNetwork(ctx: NetworkContext): Promise<Network> {
  const { subnetIds, dbSubnetGroup, vpcId } = ctx.settings;
  let source: SubnetSource;
  let vpc: Vpc;
  if (subnetIds !== undefined) {
    source = await givenSubnets(ctx, subnetIds);
    vpc = await describeVpc(ctx, source.vpcId, '--subnet-ids');
  } else if (dbSubnetGroup !== undefined) {
    source = await subnetGroupSubnets(ctx, dbSubnetGroup);
    vpc = await describeVpc(ctx, source.vpcId, '--db-subnet-group');
  } else {
    vpc = vpcId === undefined ? await defaultVpc(ctx) : await describeVpc(ctx, vpcId, '--vpc-id');
    source = await vpcSubnets(ctx, vpc.VpcId ?? '');
  }
  const availabilityZones = zonesOf(source.subnets);
  if (availabilityZones.length < 2) {
    const found = availabilityZones.length === 0 ? 'no subnets at all' : `only ${availabilityZones.join(', ')}`;
    throw new UsageError(
      `${source.option}: Aurora and RDS Proxy need subnets in at least 2 Availability Zones; found ${found}.`,
      'Pass --subnet-ids with subnets in two or more Availability Zones of one VPC.',
    );
  }
  if (ctx.settings.clientSecurityGroup !== undefined) {
    await checkClientGroup(ctx, ctx.settings.clientSecurityGroup, vpc.VpcId ?? '');
  }
  return {
    vpcId: vpc.VpcId ?? '',
    vpcCidr: vpc.CidrBlock ?? '',
    subnetIds: source.subnets.map((s) => s.id),
    availabilityZones,
  };
}

/** Reads only: the VPC and subnets are the user's, never created or deleted here. */
export const networkStep: Step<'network'> = {
  id: 'network',
  title: 'VPC and subnets',
  needs: [],
  owned: false,
  plannedId: (ctx) => ctx.settings?.vpcId ?? 'default VPC',
  // Only `up` runs this step: it resolves the options `up` was given.
  find: (ctx) => resolveNetwork({ ...ctx, settings: wantedSettings(ctx, 'network') }),
  create: resolveNetwork,
  destroy: async () => undefined,
  manualDelete: () => 'nothing to delete: the VPC and subnets are not created by rdsproxy-setup',
  summary: (network) => ({
    id: network.vpcId,
    state: `${network.subnetIds.length} subnets in ${network.availabilityZones.join(', ')}`,
  }),
};
