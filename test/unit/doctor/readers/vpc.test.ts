import {
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
  type DescribeVpcEndpointsCommandInput,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { got, missing } from '../../../../src/doctor/read.js';
import { secretsEndpointsReader, vpcReader } from '../../../../src/doctor/readers/vpc.js';
import { healthySnapshot } from '../healthy-snapshot.js';
import { pagedAnswers, scope } from './scope.js';

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

const { proxy } = healthySnapshot();

describe('reading the proxy\'s VPC', () => {
  it('reads it when a client security group is given', async () => {
    ec2.on(DescribeVpcsCommand, { VpcIds: ['vpc-1'] }).resolves({ Vpcs: [{ VpcId: 'vpc-1', CidrBlock: '172.31.0.0/16' }] });
    expect(await vpcReader.read(scope({ clientSecurityGroupId: 'sg-client' }), { proxy })).toEqual(got({ VpcId: 'vpc-1', CidrBlock: '172.31.0.0/16' }));
  });

  it('does not read it otherwise', async () => {
    expect(await vpcReader.read(scope(), { proxy })).toBeUndefined();
    expect(ec2.calls()).toHaveLength(0);
  });
});

describe('reading the Secrets Manager endpoints of the proxy\'s VPC', () => {
  const groupWithEgress = (egress: SecurityGroup['IpPermissionsEgress']) =>
    got(new Map([['sg-proxy', { GroupId: 'sg-proxy', IpPermissionsEgress: egress }]]));

  it('does not read them when a proxy security group lets 443 out to the internet', async () => {
    const securityGroups = groupWithEgress([{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }]);
    expect(await secretsEndpointsReader.read(scope(), { proxy, securityGroups })).toBeUndefined();
    expect(ec2.calls()).toHaveLength(0);
  });

  it('reads every page of the VPC\'s Secrets Manager endpoints when 443 is not open to the internet', async () => {
    const pages = pagedAnswers(
      [{ VpcEndpoints: [{ VpcEndpointId: 'vpce-1' }] }, { VpcEndpoints: [{ VpcEndpointId: 'vpce-2' }] }],
      (token) => ({ NextToken: token }),
    );
    const filters: unknown[] = [];
    ec2.on(DescribeVpcEndpointsCommand).callsFake((input: DescribeVpcEndpointsCommandInput) => {
      filters.push(input.Filters);
      return pages.answer(input.NextToken);
    });
    const endpoints = await secretsEndpointsReader.read(scope(), { proxy, securityGroups: groupWithEgress([]) });
    expect(filters[0]).toEqual([
      { Name: 'vpc-id', Values: ['vpc-1'] },
      { Name: 'service-name', Values: ['com.amazonaws.us-east-1.secretsmanager'] },
    ]);
    expect(endpoints).toEqual(got([{ VpcEndpointId: 'vpce-1' }, { VpcEndpointId: 'vpce-2' }]));
  });

  it('does not read them when the security groups could not be read', async () => {
    expect(await secretsEndpointsReader.read(scope(), { proxy, securityGroups: missing('denied') })).toBeUndefined();
    expect(ec2.calls()).toHaveLength(0);
  });
});
