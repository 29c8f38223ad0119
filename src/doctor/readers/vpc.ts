import { DescribeVpcsCommand, paginateDescribeVpcEndpoints, type Vpc, type VpcEndpoint } from '@aws-sdk/client-ec2';
import { read, requiring } from '../read.js';
import { allowsPort } from '../security-group-rules.js';
import type { Read } from '../snapshot.js';
import { allPages, reader } from './reader.js';

/** The proxy's VPC, read only when a client security group is given (its CIDR stands for the client). */
export const vpcReader = reader(['proxy'], async ({ clients, options }, { proxy }): Promise<Read<Vpc | undefined> | undefined> => {
  const vpcId = proxy.ok ? proxy.value.VpcId : undefined;
  if (!options.clientSecurityGroupId || !vpcId) return undefined;
  return read(`reading VPC ${vpcId}`, async () => {
    const ec2 = await clients.ec2();
    return (await requiring('ec2:DescribeVpcs', '*', () => ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })))).Vpcs?.[0];
  });
});

/**
 * The Secrets Manager interface endpoints in the proxy's VPC: read only when no proxy security
 * group lets 443 out to the internet, since only then do they decide whether the proxy reaches
 * its secret.
 */
export const secretsEndpointsReader = reader(
  ['proxy', 'securityGroups'],
  async ({ clients, region }, { proxy, securityGroups }): Promise<Read<VpcEndpoint[]> | undefined> => {
    if (!proxy.ok || !securityGroups.ok || !proxy.value.VpcId) return undefined;
    const vpcId = proxy.value.VpcId;
    const proxyGroups = (proxy.value.VpcSecurityGroupIds ?? []).map((id) => securityGroups.value.get(id));
    if (proxyGroups.some((g) => g && allowsPort(g.IpPermissionsEgress, 443, { cidrs: ['0.0.0.0/0'] }))) return undefined;
    return read(`reading the Secrets Manager endpoints of VPC ${vpcId}`, async () => {
      const filters = [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'service-name', Values: [`com.amazonaws.${region}.secretsmanager`] },
      ];
      const pages = paginateDescribeVpcEndpoints({ client: await clients.ec2() }, { Filters: filters });
      return requiring('ec2:DescribeVpcEndpoints', '*', () => allPages(pages, (page) => page.VpcEndpoints));
    });
  },
);
