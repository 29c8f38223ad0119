import { DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useSandbox } from './support/sandbox.js';
import { stackReads } from './support/stack-reads.js';

describe('teardown while the deleted proxy and cluster still hold their security groups', () => {
  // The sandbox keeps a deleted holder's groups in use (DependencyViolation) for 3 seconds.
  const sandbox = useSandbox({ env: { SANDBOX_ENI_RELEASE_SECONDS: '3' } });
  const reads = stackReads(sandbox);

  async function groupId(name: string): Promise<string> {
    const { SecurityGroups } = await reads.ec2().send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [name] }] }));
    return SecurityGroups![0]!.GroupId!;
  }

  it('retries the groups while they are in use, says so, and deletes them once released', async () => {
    expect((await runCli(['up', '--name', 'held', '--yes'], sandbox.env)).code).toBe(0);
    const clusterSg = await groupId('held-cluster-sg');
    const proxySg = await groupId('held-proxy-sg');

    const result = await runCli(['teardown', '--name', 'held', '--yes'], sandbox.env);

    expect(result.code, result.stderr).toBe(0);
    const retry = result.stderr.indexOf(
      `security group held-cluster-sg (${clusterSg}): still in use (network interfaces of the deleted proxy or cluster are released slowly); retrying`,
    );
    expect(retry).toBeGreaterThan(-1);
    expect(result.stderr.indexOf(`cluster security group ${clusterSg} deleted`)).toBeGreaterThan(retry);
    expect(result.stderr).toContain(`proxy security group ${proxySg} deleted`);
    const { SecurityGroups } = await reads.ec2().send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: [clusterSg, proxySg] }] }));
    expect(SecurityGroups).toEqual([]);
    expect(await reads.securityGroupNames()).toEqual([]);
  });
});
