import { parseArn } from '../config/arns.js';
import type { SecurityGroup, Subnet } from '@aws-sdk/client-ec2';
import type { DBProxy } from '@aws-sdk/client-rds';
import { POSTGRES_PORT } from '../config/names.js';
import { need, SkipCheck } from './check.js';
import { isNotFoundRead } from './read.js';
import { databaseSecurityGroupIds } from './readers/database.js';
import type { LambdaSnapshot, Snapshot } from './snapshot.js';

/** Facts derived from the snapshot that several checks share. */

/** `arn:aws:rds:us-east-1:123456789012:db-proxy:prx-0abc` → its parts. */
export function proxyArnParts(proxy: DBProxy): { partition: string; account: string; resourceId: string } {
  const parts = parseArn(proxy.DBProxyArn ?? '');
  return { partition: parts?.partition ?? 'aws', account: parts?.account ?? '', resourceId: parts?.resource.split(':').pop() ?? '' };
}

/**
 * The function of --lambda. When AWS says it does not exist, client.same-vpc fails on it (the root
 * cause); every other check that needs it skips, pointing there.
 */
export function clientFunction(snapshot: Snapshot): LambdaSnapshot {
  const lambda = snapshot.lambda!;
  if (isNotFoundRead(lambda)) throw new SkipCheck('the client function does not exist (see client.same-vpc)');
  return need(lambda);
}

export function groupsById(snapshot: Snapshot, ids: readonly string[]): SecurityGroup[] {
  const groups = need(snapshot.securityGroups);
  return ids.map((id) => {
    const group = groups.get(id);
    if (!group) throw new SkipCheck(`security group ${id} was not found`);
    return group;
  });
}

export function subnetsById(snapshot: Snapshot, ids: readonly string[]): Subnet[] {
  const subnets = need(snapshot.subnets);
  return ids.map((id) => subnets.get(id)).filter((s): s is Subnet => s !== undefined);
}

const cidrsOf = (subnets: readonly Subnet[]) => subnets.flatMap((s) => (s.CidrBlock ? [s.CidrBlock] : []));

export function proxySubnetCidrs(snapshot: Snapshot, proxy: DBProxy): string[] {
  if (!snapshot.subnets.ok) return [];
  return cidrsOf(subnetsById(snapshot, proxy.VpcSubnetIds ?? []));
}

/** The address blocks of the database's DB subnet group; empty when they could not be read. */
export function databaseSubnetCidrs(snapshot: Snapshot): string[] {
  if (!snapshot.subnets.ok || !snapshot.databaseSubnetIds.ok) return [];
  return cidrsOf(subnetsById(snapshot, snapshot.databaseSubnetIds.value));
}

/** What the proxy connects to: the cluster, or the RDS instances registered directly. */
export interface DatabaseFacts {
  label: string;
  port: number;
  securityGroupIds: string[];
  vpcId?: string;
}

export function databaseFacts(snapshot: Snapshot): DatabaseFacts {
  const cluster = need(snapshot.cluster);
  const instances = need(snapshot.instances);
  if (!cluster && instances.length === 0) {
    throw new SkipCheck('no database is registered as the proxy\'s target, so there is nothing to reach (see proxy.targets)');
  }
  const first = instances[0];
  return {
    label: cluster ? `cluster ${cluster.DBClusterIdentifier}` : `instance ${first?.DBInstanceIdentifier}`,
    port: cluster?.Port ?? first?.Endpoint?.Port ?? first?.DbInstancePort ?? POSTGRES_PORT,
    securityGroupIds: databaseSecurityGroupIds(cluster, instances),
    vpcId: instances.find((i) => i.DBSubnetGroup?.VpcId)?.DBSubnetGroup?.VpcId,
  };
}
