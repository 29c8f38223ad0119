import { DescribeSubnetsCommand, EC2Client, type DescribeSubnetsCommandInput } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { got, missing } from '../../../../src/doctor/read.js';
import { subnetsReader } from '../../../../src/doctor/readers/subnets.js';
import type { LambdaSnapshot } from '../../../../src/doctor/snapshot.js';
import { healthySnapshot, value } from '../healthy-snapshot.js';
import { items, pagedAnswers, scope } from './scope.js';

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

const s = healthySnapshot();
const known = { proxy: s.proxy, lambda: undefined };

describe('reading the subnets', () => {
  it("reads every subnet of the proxy's VPC (the database's are among them) without waiting for the database", async () => {
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-db-a', AvailabilityZone: 'us-east-1a' }] });

    const subnets = await subnetsReader.read(scope(), known);

    expect(subnetsReader.needs).toEqual(['proxy', 'lambda']);
    expect(ec2.commandCalls(DescribeSubnetsCommand).map((c) => c.args[0].input.Filters)).toEqual([[{ Name: 'vpc-id', Values: ['vpc-1'] }]]);
    expect(subnets).toEqual(got(new Map([['subnet-db-a', { SubnetId: 'subnet-db-a', AvailabilityZone: 'us-east-1a' }]])));
  });

  it("also reads the function's subnets by id, at the same time, each id once", async () => {
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [] });
    const lambda = got({ ...value<LambdaSnapshot>(s.lambda!), subnetIds: ['subnet-fn', 'subnet-fn'] });

    await subnetsReader.read(scope(), { ...known, lambda });

    expect(ec2.commandCalls(DescribeSubnetsCommand).map((c) => c.args[0].input.Filters)).toEqual([
      [{ Name: 'vpc-id', Values: ['vpc-1'] }],
      [{ Name: 'subnet-id', Values: ['subnet-fn'] }],
    ]);
  });

  it('reads every page', async () => {
    const pages = pagedAnswers(
      [1, 2, 3].map((page) => ({ Subnets: items(100, (i) => ({ SubnetId: `subnet-${page}-${i}` })) })),
      (token) => ({ NextToken: token }),
    );
    ec2.on(DescribeSubnetsCommand).callsFake((input: DescribeSubnetsCommandInput) => pages.answer(input.NextToken));
    const subnets = await subnetsReader.read(scope(), known);
    expect(pages.asked).toEqual([undefined, 'page-2', 'page-3']);
    expect(subnets.ok && subnets.value.size).toBe(300);
  });

  it('reads nothing when the proxy could not be read', async () => {
    const subnets = await subnetsReader.read(scope(), { ...known, proxy: missing('reading RDS proxy orders-proxy: denied (AccessDenied)') });
    expect(subnets.ok).toBe(false);
    expect(ec2.calls()).toHaveLength(0);
  });
});
