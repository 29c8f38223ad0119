import { paginateDescribeSecurityGroups, type SecurityGroup } from '@aws-sdk/client-ec2';
import { got, read, requiring } from '../read.js';
import type { Read } from '../snapshot.js';
import { databaseSecurityGroupIds } from './database.js';
import { proxyUnread } from './proxy.js';
import { allPages, reader, uniqueIds } from './reader.js';

/**
 * The proxy's, the database's and the client's security groups, in one read. A filter, not
 * GroupIds: asked by id, EC2 fails the whole call when one id is gone, while a filter returns the
 * groups that exist and leaves the missing ones to the checks.
 */
export const securityGroupsReader = reader(
  ['proxy', 'cluster', 'instances', 'lambda'],
  async ({ clients, options }, { proxy, cluster, instances, lambda }): Promise<Read<Map<string, SecurityGroup>>> => {
    if (!proxy.ok) return proxyUnread(proxy);
    const ids = uniqueIds([
      ...(proxy.value.VpcSecurityGroupIds ?? []),
      ...(cluster.ok && instances.ok ? databaseSecurityGroupIds(cluster.value, instances.value) : []),
      options.clientSecurityGroupId,
      ...(lambda?.ok ? lambda.value.securityGroupIds : []),
    ]);
    if (ids.length === 0) return got(new Map());
    return read(`reading security groups ${ids.join(', ')}`, async () => {
      const pages = paginateDescribeSecurityGroups({ client: await clients.ec2() }, { Filters: [{ Name: 'group-id', Values: ids }] });
      const groups = await requiring('ec2:DescribeSecurityGroups', '*', () => allPages(pages, (page) => page.SecurityGroups));
      return new Map(groups.map((g) => [g.GroupId!, g]));
    });
  },
);
