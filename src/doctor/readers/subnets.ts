import { paginateDescribeSubnets, type Subnet } from '@aws-sdk/client-ec2';
import { got, read, requiring } from '../read.js';
import type { Read } from '../snapshot.js';
import { proxyUnread } from './proxy.js';
import { allPages, reader, uniqueIds } from './reader.js';

/**
 * The proxy's, the database's and the Lambda function's subnets, in one read; by filter, so that
 * a subnet that is gone is absent from the result instead of failing the read.
 */
export const subnetsReader = reader(
  ['proxy', 'databaseSubnetIds', 'lambda'],
  async ({ clients }, { proxy, databaseSubnetIds, lambda }): Promise<Read<Map<string, Subnet>>> => {
    if (!proxy.ok) return proxyUnread(proxy);
    const ids = uniqueIds([
      ...(proxy.value.VpcSubnetIds ?? []),
      ...(databaseSubnetIds.ok ? databaseSubnetIds.value : []),
      ...(lambda?.ok ? lambda.value.subnetIds : []),
    ]);
    if (ids.length === 0) return got(new Map());
    return read(`reading subnets ${ids.join(', ')}`, async () => {
      const pages = paginateDescribeSubnets({ client: await clients.ec2() }, { Filters: [{ Name: 'subnet-id', Values: ids }] });
      const subnets = await requiring('ec2:DescribeSubnets', '*', () => allPages(pages, (page) => page.Subnets));
      return new Map(subnets.map((s) => [s.SubnetId!, s]));
    });
  },
);
