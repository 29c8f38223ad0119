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
const known = { proxy: s.proxy, databaseSubnetIds: s.databaseSubnetIds, lambda: undefined };

describe('reading the subnets', () => {
  it('reads the proxy\'s, the database\'s and the function\'s subnets in one call, each id once, by filter', async () => {
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-a', AvailabilityZone: 'us-east-1a' }] });
    const lambda = got({ ...value<LambdaSnapshot>(s.lambda!), subnetIds: ['subnet-a', 'subnet-fn'] });
    const subnets = await subnetsReader.read(scope(), { ...known, lambda });
    expect(ec2.commandCalls(DescribeSubnetsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'subnet-id', Values: ['subnet-a', 'subnet-b', 'subnet-db-a', 'subnet-db-b', 'subnet-fn'] },
    ]);
    expect(subnets).toEqual(got(new Map([['subnet-a', { SubnetId: 'subnet-a', AvailabilityZone: 'us-east-1a' }]])));
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
