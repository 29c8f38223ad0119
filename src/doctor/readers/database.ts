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
import { arnIn, doctorResource } from '../denials.js';
import { got, read, requiring } from '../read.js';
import type { Read } from '../snapshot.js';
import { allPages, reader, uniqueIds } from './reader.js';

/** The database behind the proxy: the cluster of a TRACKED_CLUSTER row, or the RDS instances registered directly. */

function trackedClusterId(targets: readonly DBProxyTarget[]): string | undefined {
  const row = targets.find((t) => t.Type === 'TRACKED_CLUSTER') ?? targets.find((t) => t.TrackedClusterId);
  return row?.Type === 'TRACKED_CLUSTER' ? row.RdsResourceId : row?.TrackedClusterId;
}

/** Undefined when no cluster is registered. */
export const clusterReader = reader(['targets'], async ({ clients, region }, { targets }): Promise<Read<DBCluster | undefined>> => {
  if (!targets.ok) return targets;
  const clusterId = trackedClusterId(targets.value);
  if (!clusterId) return got(undefined);
  return read(`reading DB cluster ${clusterId}`, async () => {
    const rds = await clients.rds();
    const out = await requiring('rds:DescribeDBClusters', arnIn(region, 'rds', `cluster:${clusterId}`), () =>
      rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId })),
    );
    return out.DBClusters?.[0];
  });
});

/** By filter, which RDS authorizes on every instance (db:*). */
async function describeInstances(clients: AwsClients, region: string, filter: Filter): Promise<DBInstance[]> {
  const pages = paginateDescribeDBInstances({ client: await clients.rds() }, { Filters: [filter] });
  const action = 'rds:DescribeDBInstances';
  return requiring(action, doctorResource(action, region), () => allPages(pages, (page) => page.DBInstances));
}

/** The cluster's instances, or the RDS instances registered directly. */
export const instancesReader = reader(['targets'], async ({ clients, region }, { targets }): Promise<Read<DBInstance[]>> => {
  if (!targets.ok) return targets;
  const clusterId = trackedClusterId(targets.value);
  if (clusterId) {
    return read(`reading the instances of DB cluster ${clusterId}`, () =>
      describeInstances(clients, region, { Name: 'db-cluster-id', Values: [clusterId] }),
    );
  }
  const instanceIds = uniqueIds(targets.value.filter((t) => t.Type === 'RDS_INSTANCE').map((t) => t.RdsResourceId));
  if (instanceIds.length === 0) return got([]);
  return read(`reading DB instances ${instanceIds.join(', ')}`, () =>
    describeInstances(clients, region, { Name: 'db-instance-id', Values: instanceIds }),
  );
});

/**
 * The database's subnets: the instances' DB subnet group already lists them; only a cluster
 * without instances needs its subnet group read.
 */
export const databaseSubnetIdsReader = reader(
  ['cluster', 'instances'],
  async ({ clients, region }, { cluster, instances }): Promise<Read<string[]>> => {
    if (!instances.ok) return instances;
    const listed = uniqueIds(instances.value.flatMap((i) => (i.DBSubnetGroup?.Subnets ?? []).map((s) => s.SubnetIdentifier)));
    const groupName = cluster.ok ? cluster.value?.DBSubnetGroup : undefined;
    if (listed.length > 0 || !groupName) return got(listed);
    return read(`reading DB subnet group ${groupName}`, async () => {
      const rds = await clients.rds();
      const { DBSubnetGroups } = await requiring('rds:DescribeDBSubnetGroups', arnIn(region, 'rds', `subgrp:${groupName}`), () =>
        rds.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: groupName })),
      );
      return uniqueIds((DBSubnetGroups?.[0]?.Subnets ?? []).map((s) => s.SubnetIdentifier));
    });
  },
);

/** The security groups that guard the database: the cluster's, or the directly registered instances'. */
export function databaseSecurityGroupIds(cluster: DBCluster | undefined, instances: readonly DBInstance[]): string[] {
  const groups = cluster ? (cluster.VpcSecurityGroups ?? []) : instances.flatMap((i) => i.VpcSecurityGroups ?? []);
  return uniqueIds(groups.map((g) => g.VpcSecurityGroupId));
}
