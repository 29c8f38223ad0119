import { DescribeDBClustersCommand, DescribeDBProxiesCommand, RDSClient } from '@aws-sdk/client-rds';
import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Sandbox } from './sandbox.js';

/** Separate SDK reads of what the CLI left in the sandbox, independent of its own report. */
export function stackReads(sandbox: Sandbox) {
  const rds = () => new RDSClient(sandbox.clientConfig);
  const ec2 = () => new EC2Client(sandbox.clientConfig);
  const secrets = () => new SecretsManagerClient(sandbox.clientConfig);
  return {
    rds,
    ec2,
    secrets,
    async clusterIds(): Promise<string[]> {
      const { DBClusters } = await rds().send(new DescribeDBClustersCommand({}));
      return (DBClusters ?? []).map((c) => c.DBClusterIdentifier!);
    },
    async proxyNames(): Promise<string[]> {
      const { DBProxies } = await rds().send(new DescribeDBProxiesCommand({}));
      return (DBProxies ?? []).map((p) => p.DBProxyName!);
    },
    async securityGroupNames(): Promise<string[]> {
      const { SecurityGroups } = await ec2().send(new DescribeSecurityGroupsCommand({}));
      return (SecurityGroups ?? []).map((g) => g.GroupName!).filter((n) => n !== 'default');
    },
    async secretNames(): Promise<string[]> {
      const { SecretList } = await secrets().send(new ListSecretsCommand({ IncludePlannedDeletion: true }));
      return (SecretList ?? []).map((s) => s.Name!);
    },
  };
}

/** AWS calls a --verbose run logged, by name ("rds.CreateDBCluster", "ec2.DescribeVpcs"). */
export function loggedCalls(stderr: string): string[] {
  return [...stderr.matchAll(/aws ([a-z0-9-]+\.[A-Za-z0-9]+) /g)].map((m) => m[1]!);
}

const WRITE = /\.(Create|Modify|Put|Register|Deregister|Delete|Authorize|Revoke|Restore|Tag|Untag|Add|Remove|Update|Attach|Detach|Enable|Disable)/;

export function writeCalls(stderr: string): string[] {
  return loggedCalls(stderr).filter((c) => WRITE.test(c));
}
