import { DescribeSecurityGroupsCommand, EC2Client, type DescribeSecurityGroupsCommandInput } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { got, missing } from '../../../../src/doctor/read.js';
import { securityGroupsReader } from '../../../../src/doctor/readers/security-groups.js';
import type { LambdaSnapshot } from '../../../../src/doctor/snapshot.js';
import { healthySnapshot, value } from '../healthy-snapshot.js';
import { items, pagedAnswers, scope } from './scope.js';

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

const s = healthySnapshot();
const known = { proxy: s.proxy, cluster: s.cluster, instances: s.instances, lambda: undefined };

describe('reading the security groups', () => {
  it('reads the proxy\'s, the database\'s, the client\'s and the function\'s groups in one call, by filter', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-proxy' }, { GroupId: 'sg-db' }] });
    const lambda = got({ ...value<LambdaSnapshot>(s.lambda!), securityGroupIds: ['sg-fn'] });
    const groups = await securityGroupsReader.read(scope({ clientSecurityGroupId: 'sg-client' }), { ...known, lambda });
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'group-id', Values: ['sg-proxy', 'sg-db', 'sg-client', 'sg-fn'] },
    ]);
    expect(groups.ok && [...groups.value.keys()]).toEqual(['sg-proxy', 'sg-db']);
  });

  it('reads every page: 3 pages of 100 groups give all 300', async () => {
    const pages = pagedAnswers(
      [1, 2, 3].map((page) => ({ SecurityGroups: items(100, (i) => ({ GroupId: `sg-${page}-${i}` })) })),
      (token) => ({ NextToken: token }),
    );
    ec2.on(DescribeSecurityGroupsCommand).callsFake((input: DescribeSecurityGroupsCommandInput) => pages.answer(input.NextToken));
    const groups = await securityGroupsReader.read(scope(), known);
    expect(pages.asked).toEqual([undefined, 'page-2', 'page-3']);
    expect(groups.ok && groups.value.size).toBe(300);
    expect(groups.ok && groups.value.has('sg-3-99')).toBe(true);
  });

  it('still reads the proxy\'s groups when the database could not be read', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-proxy' }] });
    const unread = missing<never>('reading DB cluster orders-db: denied (AccessDenied)');
    await securityGroupsReader.read(scope(), { ...known, cluster: unread, instances: unread });
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0]!.args[0].input.Filters).toEqual([{ Name: 'group-id', Values: ['sg-proxy'] }]);
  });

  it('reads nothing when the proxy could not be read', async () => {
    const groups = await securityGroupsReader.read(scope(), { ...known, proxy: missing('reading RDS proxy orders-proxy: denied (AccessDenied)') });
    expect(groups.ok).toBe(false);
    expect(ec2.calls()).toHaveLength(0);
  });
});
