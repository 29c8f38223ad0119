import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateDBClusterCommand,
  CreateDBProxyCommand,
  RDSClient,
  RegisterDBProxyTargetsCommand,
} from '@aws-sdk/client-rds';
import type { Sandbox } from './sandbox.js';

export interface ProxyFixture {
  proxyName: string;
  clusterId: string;
  masterUser: string;
  databaseName: string;
}

/**
 * A proxy made the way Terraform or the console would (not by `up`): an Aurora PostgreSQL
 * cluster with a master user and database, an IAM-auth proxy, the cluster registered as target.
 * Returns the proxy endpoint.
 */
export async function createProxyWithCluster(sandbox: Sandbox, fixture: ProxyFixture): Promise<string> {
  const rds = new RDSClient(sandbox.clientConfig);
  const ec2 = new EC2Client(sandbox.clientConfig);
  const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];
  await rds.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: fixture.clusterId,
      Engine: 'aurora-postgresql',
      MasterUsername: fixture.masterUser,
      MasterUserPassword: 'not-used-by-connect-1',
      DatabaseName: fixture.databaseName,
    }),
  );
  const created = await rds.send(
    new CreateDBProxyCommand({
      DBProxyName: fixture.proxyName,
      EngineFamily: 'POSTGRESQL',
      RoleArn: 'arn:aws:iam::123456789012:role/proxy-reads-secret',
      VpcSubnetIds: subnets.slice(0, 2).map((s) => s.SubnetId!),
      Auth: [
        {
          AuthScheme: 'SECRETS',
          IAMAuth: 'REQUIRED',
          SecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:proxy-master-AbCdEf',
        },
      ],
      RequireTLS: true,
    }),
  );
  await rds.send(
    new RegisterDBProxyTargetsCommand({ DBProxyName: fixture.proxyName, DBClusterIdentifiers: [fixture.clusterId] }),
  );
  rds.destroy();
  ec2.destroy();
  return created.DBProxy!.Endpoint!;
}
