import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  CreateDBProxyCommand,
  CreateDBSubnetGroupCommand,
  RDSClient,
  RDSServiceException,
  type CreateDBProxyCommandInput,
} from '@aws-sdk/client-rds';
import type { Sandbox } from '../support/sandbox.js';

/** What the RDS sandbox tests build on: an RDS client and the default VPC's subnets. */
export function rdsFixtures(sandbox: Sandbox) {
  const rds = () => new RDSClient({ ...sandbox.clientConfig, maxAttempts: 1 });
  const subnetIds = async () => {
    const ec2 = new EC2Client(sandbox.clientConfig);
    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }));
    ec2.destroy();
    return Subnets!.slice(0, 2).map((s) => s.SubnetId!);
  };
  return {
    rds,
    subnetIds,
    async createProxy(name: string, input: Partial<CreateDBProxyCommandInput> = {}) {
      const { DBProxy } = await rds().send(
        new CreateDBProxyCommand({
          DBProxyName: name,
          EngineFamily: 'POSTGRESQL',
          RoleArn: 'arn:aws:iam::123456789012:role/proxy-reads-secret',
          VpcSubnetIds: await subnetIds(),
          Auth: [{ AuthScheme: 'SECRETS', IAMAuth: 'REQUIRED', SecretArn: SECRET_ARN }],
          RequireTLS: true,
          ...input,
        }),
      );
      return DBProxy!;
    },
    async createSubnetGroup(name: string) {
      const { DBSubnetGroup } = await rds().send(
        new CreateDBSubnetGroupCommand({ DBSubnetGroupName: name, DBSubnetGroupDescription: 'test', SubnetIds: await subnetIds() }),
      );
      return DBSubnetGroup!;
    },
    async createCluster(id: string, subnetGroup?: string) {
      const { DBCluster } = await rds().send(
        new CreateDBClusterCommand({
          DBClusterIdentifier: id,
          Engine: 'aurora-postgresql',
          MasterUsername: 'postgres',
          MasterUserPassword: 'not-a-real-password-1',
          DBSubnetGroupName: subnetGroup,
        }),
      );
      return DBCluster!;
    },
    async createInstance(id: string, clusterId: string) {
      const { DBInstance } = await rds().send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: id,
          DBClusterIdentifier: clusterId,
          Engine: 'aurora-postgresql',
          DBInstanceClass: 'db.serverless',
        }),
      );
      return DBInstance!;
    },
  };
}

export const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:proxy-master-AbCdEf';

/** The error an SDK call failed with, as the CLI would see it: name, HTTP status, message. */
export async function failureOf(call: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await call;
  } catch (err) {
    if (err instanceof RDSServiceException) return { name: err.name, status: err.$metadata.httpStatusCode, message: err.message };
    throw err;
  }
  throw new Error('the call succeeded');
}
