import type { SecurityGroup } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { absent, got, missing } from '../../../src/doctor/read.js';
import { check, healthySnapshot, value } from './healthy-snapshot.js';

function groups(snapshot: ReturnType<typeof healthySnapshot>): Map<string, SecurityGroup> {
  return value<Map<string, SecurityGroup>>(snapshot.securityGroups);
}

describe('sg.proxy-to-cluster', () => {
  it('passes when the cluster SG admits the database port from the proxy SG, naming the rule', async () => {
    const result = await check('sg.proxy-to-cluster', healthySnapshot());
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('sg-db allows TCP 5432 from sg-proxy');
  });

  it('fails when the cluster SG has no rule for the proxy SG, with the exact ingress command', async () => {
    const snapshot = healthySnapshot();
    groups(snapshot).get('sg-db')!.IpPermissions = [];
    const result = await check('sg.proxy-to-cluster', snapshot);
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('No rule on the database\'s security groups admits TCP 5432');
    expect(result.fix).toBe('aws ec2 authorize-security-group-ingress --group-id sg-db --protocol tcp --port 5432 --source-group sg-proxy');
  });

  it('fails when the proxy SG lets nothing out on the database port', async () => {
    const snapshot = healthySnapshot();
    groups(snapshot).get('sg-proxy')!.IpPermissionsEgress = [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];
    const result = await check('sg.proxy-to-cluster', snapshot);
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('no proxy security group allows TCP 5432 out');
    expect(result.fix).toContain('authorize-security-group-egress --group-id sg-proxy');
    expect(result.fix).toContain('UserIdGroupPairs=[{GroupId=sg-db}]');
  });

  it('counts a self-referencing rule when proxy and cluster share one security group', async () => {
    const snapshot = healthySnapshot();
    value<{ VpcSecurityGroups: unknown[] }>(snapshot.cluster).VpcSecurityGroups = [{ VpcSecurityGroupId: 'sg-proxy' }];
    groups(snapshot).get('sg-proxy')!.IpPermissions = [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: 'sg-proxy' }] }];
    const result = await check('sg.proxy-to-cluster', snapshot, {});
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('share sg-proxy');
  });

  it('fails a shared security group without the self-referencing rule', async () => {
    const snapshot = healthySnapshot();
    value<{ VpcSecurityGroups: unknown[] }>(snapshot.cluster).VpcSecurityGroups = [{ VpcSecurityGroupId: 'sg-proxy' }];
    const result = await check('sg.proxy-to-cluster', snapshot, {});
    expect(result.status).toBe('fail');
    expect(result.fix).toContain('--group-id sg-proxy --protocol tcp --port 5432 --source-group sg-proxy');
  });

  it('passes egress on the database port to a range holding the database\'s subnets', async () => {
    const snapshot = healthySnapshot();
    groups(snapshot).get('sg-proxy')!.IpPermissionsEgress = [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '172.31.32.0/19' }] }];
    const result = await check('sg.proxy-to-cluster', snapshot);
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('sg-proxy allows TCP 5432 to 172.31.32.0/19');
  });

  it('fails egress that reaches only the proxy\'s own subnets, not the database\'s', async () => {
    const snapshot = healthySnapshot();
    groups(snapshot).get('sg-proxy')!.IpPermissionsEgress = [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '172.31.0.0/19' }] }];
    const result = await check('sg.proxy-to-cluster', snapshot);
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('no proxy security group allows TCP 5432 out to the database');
  });

  it('is skipped with the AWS error when the security groups could not be read', async () => {
    const snapshot = healthySnapshot();
    snapshot.securityGroups = missing('reading security groups sg-proxy, sg-db: not authorized (UnauthorizedOperation)', 'UnauthorizedOperation');
    const result = await check('sg.proxy-to-cluster', snapshot);
    expect(result.status).toBe('skip');
    expect(result.evidence).toContain('UnauthorizedOperation');
  });
});

describe('sg.proxy-egress-secrets', () => {
  it('warns when the proxy SG allows no 443 out and the VPC has no Secrets Manager endpoint', async () => {
    const snapshot = healthySnapshot();
    groups(snapshot).get('sg-proxy')!.IpPermissionsEgress = [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: 'sg-db' }] }];
    snapshot.secretsEndpoints = got([]);
    const result = await check('sg.proxy-egress-secrets', snapshot);
    expect(result.status).toBe('warn');
    expect(result.evidence).toContain('has no Secrets Manager endpoint');
    expect(result.fix).toContain("--group-id sg-proxy --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]'");
  });

  it('passes when 443 goes to the security group of a Secrets Manager VPC endpoint', async () => {
    const snapshot = healthySnapshot();
    groups(snapshot).get('sg-proxy')!.IpPermissionsEgress = [
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: 'sg-endpoint' }] },
    ];
    snapshot.secretsEndpoints = got([{ VpcEndpointId: 'vpce-1', Groups: [{ GroupId: 'sg-endpoint' }] }]);
    const result = await check('sg.proxy-egress-secrets', snapshot);
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('VPC endpoint vpce-1');
  });
});

describe('sg.client-to-proxy', () => {
  it('passes when the proxy SG admits 5432 from the function\'s SG', async () => {
    const result = await check('sg.client-to-proxy', healthySnapshot());
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('sg-proxy allows TCP 5432 from sg-client');
  });

  it('fails when the proxy SG does not admit the client, with the ingress command', async () => {
    const snapshot = healthySnapshot();
    groups(snapshot).get('sg-proxy')!.IpPermissions = [];
    const result = await check('sg.client-to-proxy', snapshot);
    expect(result.status).toBe('fail');
    expect(result.fix).toBe('aws ec2 authorize-security-group-ingress --group-id sg-proxy --protocol tcp --port 5432 --source-group sg-client');
  });

  it('accepts a CIDR rule that holds the --client-sg\'s VPC', async () => {
    const snapshot = healthySnapshot();
    groups(snapshot).get('sg-proxy')!.IpPermissions = [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '172.31.0.0/16' }] }];
    snapshot.vpc = got({ VpcId: 'vpc-1', CidrBlock: '172.31.0.0/16' });
    const result = await check('sg.client-to-proxy', snapshot, { clientSecurityGroupId: 'sg-client' });
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('TCP 5432 from 172.31.0.0/16');
  });

  it('fails when the client\'s egress does not allow 5432 to the proxy', async () => {
    const snapshot = healthySnapshot();
    groups(snapshot).get('sg-client')!.IpPermissionsEgress = [];
    const result = await check('sg.client-to-proxy', snapshot);
    expect(result.status).toBe('fail');
    expect(result.fix).toContain('authorize-security-group-egress --group-id sg-client');
  });

  it('fails a --client-sg that does not exist, even when the --lambda function does not either', async () => {
    const snapshot = healthySnapshot();
    snapshot.lambda = absent('reading Lambda function orders-api: Function not found (ResourceNotFoundException)', 'ResourceNotFoundException');

    const result = await check('sg.client-to-proxy', snapshot, { lambda: 'orders-api', clientSecurityGroupId: 'sg-gone' });

    expect(result.status).toBe('fail');
    expect(result.evidence).toBe(
      '--client-sg: security group sg-gone was not found in us-east-1: DescribeSecurityGroups with a group-id filter returned no group with that id.',
    );
    expect(result.fix).toContain('aws ec2 describe-security-groups --region us-east-1');
  });

  it('skips, not fails, a --client-sg when the security groups could not be read', async () => {
    const snapshot = healthySnapshot();
    snapshot.securityGroups = missing('AccessDenied on ec2:DescribeSecurityGroups for *', 'UnauthorizedOperation', { action: 'ec2:DescribeSecurityGroups', resource: '*' });

    const result = await check('sg.client-to-proxy', snapshot, { clientSecurityGroupId: 'sg-gone' });

    expect(result.status).toBe('skip');
  });

  it('leaves a client in another VPC to client.same-vpc', async () => {
    const snapshot = healthySnapshot();
    groups(snapshot).get('sg-client')!.VpcId = 'vpc-other';
    const result = await check('sg.client-to-proxy', snapshot);
    expect(result.status).toBe('skip');
    expect(result.evidence).toContain('see client.same-vpc');
  });
});

describe('sg.proxy-to-cluster with an address-range rule', () => {
  it('passes a CIDR rule that holds the proxy\'s subnets, and says it lets clients bypass the proxy', async () => {
    const snapshot = healthySnapshot();
    groups(snapshot).get('sg-db')!.IpPermissions = [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '172.31.0.0/16' }] }];
    const result = await check('sg.proxy-to-cluster', snapshot);
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('sg-db allows TCP 5432 from 172.31.0.0/16');
    expect(result.evidence).toContain('bypassing the proxy');
  });

  it('fails a CIDR rule that does not hold the proxy\'s subnets', async () => {
    const snapshot = healthySnapshot();
    groups(snapshot).get('sg-db')!.IpPermissions = [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '172.31.0.0/20' }] }];
    const result = await check('sg.proxy-to-cluster', snapshot);
    expect(result.status).toBe('fail');
  });
});
