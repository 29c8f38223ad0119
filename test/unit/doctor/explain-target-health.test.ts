import { DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { DescribeDBProxyTargetsCommand, type TargetHealthReason } from '@aws-sdk/client-rds';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { explainTargetHealth } from '../../../src/doctor/explain-target-health.js';
import { clients, ec2, healthyAccount, rds, resetAccount } from './healthy-account.js';
import { CLUSTER_ENDPOINT, PROXY_NAME } from './healthy-snapshot.js';

beforeEach(() => healthyAccount());
afterEach(() => resetAccount());

const config = { stack: 'x', region: 'us-east-1', json: false, yes: true, verbose: false };

describe('explaining a target-health failure for up', () => {
  it('gives proxy.targets and the checks its reason routes to, and only those, in the report\'s order', async () => {
    rds.on(DescribeDBProxyTargetsCommand).resolves({
      Targets: [
        { Type: 'TRACKED_CLUSTER', RdsResourceId: 'orders-db', Endpoint: CLUSTER_ENDPOINT, TargetHealth: { State: 'AVAILABLE' } },
        { Type: 'RDS_INSTANCE', RdsResourceId: 'orders-writer', TargetHealth: { State: 'UNAVAILABLE', Reason: 'CONNECTION_FAILED', Description: 'timed out' } },
      ],
    });
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        { GroupId: 'sg-proxy', VpcId: 'vpc-1', IpPermissions: [], IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
        { GroupId: 'sg-db', VpcId: 'vpc-1', IpPermissions: [], IpPermissionsEgress: [] },
      ],
    });
    const results = await explainTargetHealth(clients(), config, PROXY_NAME);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['sg.proxy-to-cluster', 'fail'],
      ['proxy.targets', 'fail'],
      ['cluster.supported', 'pass'],
    ]);
    expect(results[0]!.fix).toBe('aws ec2 authorize-security-group-ingress --group-id sg-db --protocol tcp --port 5432 --source-group sg-proxy');
    expect(results[1]!.evidence).toContain('Reason CONNECTION_FAILED, Description "timed out"');
  });

  it('gives proxy.targets and every failing check when the reason is one this tool does not know', async () => {
    // A reason newer than this tool: AWS may add one at any time.
    const reason = 'SOMETHING_NEW' as TargetHealthReason;
    rds.on(DescribeDBProxyTargetsCommand).resolves({
      Targets: [
        { Type: 'TRACKED_CLUSTER', RdsResourceId: 'orders-db', Endpoint: CLUSTER_ENDPOINT, TargetHealth: { State: 'AVAILABLE' } },
        { Type: 'RDS_INSTANCE', RdsResourceId: 'orders-writer', TargetHealth: { State: 'UNAVAILABLE', Reason: reason, Description: 'odd' } },
      ],
    });
    const results = await explainTargetHealth(clients(), config, PROXY_NAME);
    expect(results.map((r) => [r.id, r.status])).toEqual([['proxy.targets', 'fail']]);
    expect(results[0]!.fix).toContain('SOMETHING_NEW is not a reason this tool knows');
  });
});
