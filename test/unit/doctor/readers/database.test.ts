import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
  RDSClient,
  type DBProxyTarget,
  type DescribeDBInstancesCommandInput,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { got, missing } from '../../../../src/doctor/read.js';
import {
  clusterReader,
  databaseSecurityGroupIds,
  databaseSubnetIdsReader,
  instancesReader,
} from '../../../../src/doctor/readers/database.js';
import { items, pagedAnswers, scope } from './scope.js';

const rds = mockClient(RDSClient);
afterEach(() => rds.reset());

const clusterRows: DBProxyTarget[] = [
  { Type: 'TRACKED_CLUSTER', RdsResourceId: 'orders-db' },
  { Type: 'RDS_INSTANCE', RdsResourceId: 'orders-writer', TrackedClusterId: 'orders-db' },
];
const instanceRows: DBProxyTarget[] = [
  { Type: 'RDS_INSTANCE', RdsResourceId: 'legacy-a' },
  { Type: 'RDS_INSTANCE', RdsResourceId: 'legacy-b' },
];

describe('reading the cluster behind the proxy', () => {
  it('reads the cluster of the TRACKED_CLUSTER row', async () => {
    rds.on(DescribeDBClustersCommand, { DBClusterIdentifier: 'orders-db' }).resolves({ DBClusters: [{ DBClusterIdentifier: 'orders-db' }] });
    expect(await clusterReader.read(scope(), { targets: got(clusterRows) })).toEqual(got({ DBClusterIdentifier: 'orders-db' }));
  });

  it('finds the cluster through an instance row when no TRACKED_CLUSTER row is reported', async () => {
    rds.on(DescribeDBClustersCommand, { DBClusterIdentifier: 'orders-db' }).resolves({ DBClusters: [{ DBClusterIdentifier: 'orders-db' }] });
    expect(await clusterReader.read(scope(), { targets: got([clusterRows[1]!]) })).toEqual(got({ DBClusterIdentifier: 'orders-db' }));
  });

  it('gives no cluster, without a call, when RDS instances are registered directly', async () => {
    expect(await clusterReader.read(scope(), { targets: got(instanceRows) })).toEqual(got(undefined));
    expect(rds.calls()).toHaveLength(0);
  });

  it('keeps the targets\' error when they could not be read', async () => {
    const targets = missing<DBProxyTarget[]>('reading the targets of RDS proxy orders-proxy: throttled (Throttling)');
    expect(await clusterReader.read(scope(), { targets })).toBe(targets);
  });
});

describe('reading the database\'s instances', () => {
  it('reads the cluster\'s instances by its id, every page of them', async () => {
    const pages = pagedAnswers(
      [1, 2].map((page) => ({ DBInstances: items(100, (i) => ({ DBInstanceIdentifier: `orders-${page}-${i}` })) })),
      (token) => ({ Marker: token }),
    );
    const filters: unknown[] = [];
    rds.on(DescribeDBInstancesCommand).callsFake((input: DescribeDBInstancesCommandInput) => {
      filters.push(input.Filters);
      return pages.answer(input.Marker);
    });
    const instances = await instancesReader.read(scope(), { targets: got(clusterRows) });
    expect(filters[0]).toEqual([{ Name: 'db-cluster-id', Values: ['orders-db'] }]);
    expect(pages.asked).toEqual([undefined, 'page-2']);
    expect(instances.ok && instances.value).toHaveLength(200);
  });

  it('reads the RDS instances registered directly by their ids', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceIdentifier: 'legacy-a' }, { DBInstanceIdentifier: 'legacy-b' }] });
    const instances = await instancesReader.read(scope(), { targets: got(instanceRows) });
    expect(rds.commandCalls(DescribeDBInstancesCommand)[0]!.args[0].input.Filters).toEqual([{ Name: 'db-instance-id', Values: ['legacy-a', 'legacy-b'] }]);
    expect(instances.ok && instances.value.map((i) => i.DBInstanceIdentifier)).toEqual(['legacy-a', 'legacy-b']);
  });

  it('gives no instances, without a call, when no target is registered', async () => {
    expect(await instancesReader.read(scope(), { targets: got([]) })).toEqual(got([]));
    expect(rds.calls()).toHaveLength(0);
  });
});

describe('reading the database\'s subnets', () => {
  const cluster = got({ DBClusterIdentifier: 'orders-db', DBSubnetGroup: 'orders-subnets' });

  it('takes them from the instances\' DB subnet group, without a call', async () => {
    const instances = got([
      { DBSubnetGroup: { Subnets: [{ SubnetIdentifier: 'subnet-db-a' }, { SubnetIdentifier: 'subnet-db-b' }] } },
      { DBSubnetGroup: { Subnets: [{ SubnetIdentifier: 'subnet-db-a' }] } },
    ]);
    expect(await databaseSubnetIdsReader.read(scope(), { cluster, instances })).toEqual(got(['subnet-db-a', 'subnet-db-b']));
    expect(rds.calls()).toHaveLength(0);
  });

  it('reads the cluster\'s DB subnet group when no instance lists its subnets', async () => {
    rds.on(DescribeDBSubnetGroupsCommand, { DBSubnetGroupName: 'orders-subnets' }).resolves({
      DBSubnetGroups: [{ DBSubnetGroupName: 'orders-subnets', Subnets: [{ SubnetIdentifier: 'subnet-db-a' }] }],
    });
    expect(await databaseSubnetIdsReader.read(scope(), { cluster, instances: got([]) })).toEqual(got(['subnet-db-a']));
  });

  it('keeps the instances\' error when they could not be read', async () => {
    const instances = missing<never>('reading the instances of DB cluster orders-db: denied (AccessDenied)');
    expect(await databaseSubnetIdsReader.read(scope(), { cluster, instances })).toBe(instances);
  });
});

describe('the security groups that guard the database', () => {
  it('are the cluster\'s when there is a cluster', () => {
    const cluster = { VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-db' }] };
    expect(databaseSecurityGroupIds(cluster, [{ VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-instance' }] }])).toEqual(['sg-db']);
  });

  it('are the directly registered instances\', each once, when there is no cluster', () => {
    const instances = [
      { VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-a' }, { VpcSecurityGroupId: 'sg-b' }] },
      { VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-a' }] },
    ];
    expect(databaseSecurityGroupIds(undefined, instances)).toEqual(['sg-a', 'sg-b']);
  });
});
