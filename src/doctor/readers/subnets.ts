import { paginateDescribeSubnets, type DescribeSubnetsCommandInput, type Subnet } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../../aws/clients.js';
import { got, read, requiring } from '../read.js';
import type { Read } from '../snapshot.js';
import { proxyUnread } from './proxy.js';
import { allPages, reader, uniqueIds } from './reader.js';

async function describeSubnets(clients: AwsClients, filter: NonNullable<DescribeSubnetsCommandInput['Filters']>[number]) {
  const pages = paginateDescribeSubnets({ client: await clients.ec2() }, { Filters: [filter] });
  return requiring('ec2:DescribeSubnets', '*', () => allPages(pages, (page) => page.Subnets));
}

/**
 * Every subnet of the proxy's VPC, and the Lambda function's subnets, by filter (a subnet that is
 * gone is absent instead of failing the read). The database's subnets are among the VPC's (a
 * proxy reaches only a database in its own VPC), so this read need not wait for the cluster and
 * its subnet group: doctor's reads stay at four rounds.
 */
export const subnetsReader = reader(
  ['proxy', 'lambda'],
  async ({ clients }, { proxy, lambda }): Promise<Read<Map<string, Subnet>>> => {
    if (!proxy.ok) return proxyUnread(proxy);
    const vpcId = proxy.value.VpcId;
    const functionSubnets = uniqueIds(lambda?.ok ? lambda.value.subnetIds : []);
    if (!vpcId && functionSubnets.length === 0) return got(new Map());
    return read(`reading the subnets of ${vpcId ?? 'the function'}`, async () => {
      const [inVpc, ofFunction] = await Promise.all([
        vpcId ? describeSubnets(clients, { Name: 'vpc-id', Values: [vpcId] }) : [],
        functionSubnets.length > 0 ? describeSubnets(clients, { Name: 'subnet-id', Values: functionSubnets }) : [],
      ]);
      return new Map([...inVpc, ...ofFunction].map((s) => [s.SubnetId!, s]));
    });
  },
);
