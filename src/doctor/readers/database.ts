import {
  DescribeDBClustersCommand,
  DescribeDBSubnetGroupsCommand,
  paginateDescribeDBInstances,
  type DBCluster,
  type DBInstance,
  type DBProxyTarget,
  type Filter,
} from '@aws-sdk/client-rds';
import type { AwsClients } from '../../aws/clients.js';
import { got, read } from '../read.js';
import type { Read } from '../snapshot.js';
import { allPages, reader, uniqueIds } from './reader.js';

/** The database behind the proxy: the cluster of a TRACKED_CLUSTER row, or the RDS instances registered directly. */

function trackedClusterId(targets: readonly DBProxyTarget[]): string | undefined {
  const row = targets.find((t) => t.Type === 'TRACKED_CLUSTER') ?? targets.find((t) => t.TrackedClusterId);
  return row?.Type === 'TRACKED_CLUSTER' ? row.RdsResourceId : row?.TrackedClusterId;
}

/** Undefined when no cluster is registered. */
export const clusterReader = reader(['targets'], async ({ clients }, { targets }): Promise<Read<DBCluster | undefined>> => {
  if (!targets.ok) return targets;
  const clusterId = trackedClusterId(targets.value);
  if (!clusterId) return got(undefined);
  return read(`reading DB cluster ${clusterId}`, async () =>
    (await (await clients.rds()).send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }))).DBClusters?.[0],
  );
});

async function describeInstances(clients: AwsClients, filter: Filter): Promise<DBInstance[]> {
  return allPages(paginateDescribeDBInstances({ client: await clients.rds() }, { Filters: [filter] }), (page) => page.DBInstances);
}

/** The cluster's instances, or the RDS instances registered directly. */
export const instancesReader = reader(['targets'], async ({ clients }, { targets }): Promise<Read<DBInstance[]>> => {
  if (!targets.ok) return targets;
  const clusterId = trackedClusterId(targets.value);
  if (clusterId) {
    return read(`reading the instances of DB cluster ${clusterId}`, () =>
      describeInstances(clients, { Name: 'db-cluster-id', Values: [clusterId] }),
    );
  }
  const instanceIds = uniqueIds(targets.value.filter((t) => t.Type === 'RDS_INSTANCE').map((t) => t.RdsResourceId));
  if (instanceIds.length === 0) return got([]);
  return read(`reading DB instances ${instanceIds.join(', ')}`, () =>
    describeInstances(clients, { Name: 'db-instance-id', Values: instanceIds }),
  );
});

/**
 * The database's subnets: the instances' DB subnet group already lists them; only a cluster
 * without instances needs its subnet group read.
 */
export const databaseSubnetIdsReader = reader(
  ['cluster', 'instances'],
  async ({ clients }, { cluster, instances }): Promise<Read<string[]>> => {
    if (!instances.ok) return instances;
    const listed = uniqueIds(instances.value.flatMap((i) => (i.DBSubnetGroup?.Subnets ?? []).map((s) => s.SubnetIdentifier)));
    const groupName = cluster.ok ? cluster.value?.DBSubnetGroup : undefined;
    if (listed.length > 0 || !groupName) return got(listed);
    return read(`reading DB subnet group ${groupName}`, async () => {
      const groups = (await (await clients.rds()).send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: groupName }))).DBSubnetGroups;
      return uniqueIds((groups?.[0]?.Subnets ?? []).map((s) => s.SubnetIdentifier));
    });
  },
);

/** The security groups that guard the database: the cluster's, or the directly registered instances'. */
export function databaseSecurityGroupIds(cluster: DBCluster | undefined, instances: readonly DBInstance[]): string[] {
  const groups = cluster ? (cluster.VpcSecurityGroups ?? []) : instances.flatMap((i) => i.VpcSecurityGroups ?? []);
  return uniqueIds(groups.map((g) => g.VpcSecurityGroupId));
}
