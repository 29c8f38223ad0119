import {
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  DeleteNetworkInterfaceCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, DeleteFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  CreateDBProxyCommand,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DeleteDBProxyCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { useSandbox, type Sandbox } from '../support/sandbox.js';

// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSecurityGroup.html

function clients(sandbox: Sandbox) {
  const c = sandbox.clientConfig;
  return { ec2: new EC2Client(c), rds: new RDSClient(c), iam: new IAMClient(c), lambda: new LambdaClient(c) };
}

async function defaultNetwork(ec2: EC2Client) {
  const vpcId = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0]!.VpcId!;
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Subnets!;
  return { vpcId, subnetIds: subnets.map((s) => s.SubnetId!) };
}

async function newGroup(ec2: EC2Client, vpcId: string, name: string): Promise<string> {
  return (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpcId }))).GroupId!;
}

/** What DeleteSecurityGroup answered: the error's name, HTTP status and message, or "deleted". */
async function deleteGroup(ec2: EC2Client, groupId: string) {
  try {
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }));
    return 'deleted';
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
}

const inUse = (groupId: string) => ({ name: 'DependencyViolation', status: 400, message: `resource ${groupId} has a dependent object` });

async function groupExists(ec2: EC2Client, groupId: string): Promise<boolean> {
  const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }));
  return (SecurityGroups ?? []).length > 0;
}

const EMPTY_ZIP = Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64');

/** One kind of holder of a security group: creates it with the group, returns how to delete it. */
interface Holder {
  kind: string;
  create(sandbox: Sandbox, groupId: string, net: { subnetIds: string[] }): Promise<() => Promise<unknown>>;
}

const holders: Holder[] = [
  {
    kind: 'an EC2 network interface',
    async create(sandbox, groupId, net) {
      const { ec2 } = clients(sandbox);
      const eni = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetIds[0]!, Groups: [groupId] }));
      return () => ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterface!.NetworkInterfaceId! }));
    },
  },
  {
    kind: 'a DB cluster (VpcSecurityGroupIds)',
    async create(sandbox, groupId) {
      await clients(sandbox).rds.send(
        new CreateDBClusterCommand({
          DBClusterIdentifier: 'holder-cluster',
          Engine: 'aurora-postgresql',
          MasterUsername: 'postgres',
          MasterUserPassword: 'not-a-real-password-42',
          VpcSecurityGroupIds: [groupId],
        }),
      );
      return () => clients(sandbox).rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'holder-cluster', SkipFinalSnapshot: true }));
    },
  },
  {
    kind: 'a DB instance (VpcSecurityGroupIds)',
    async create(sandbox, groupId) {
      await clients(sandbox).rds.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: 'holder-instance',
          Engine: 'postgres',
          DBInstanceClass: 'db.t3.micro',
          AllocatedStorage: 20,
          MasterUsername: 'postgres',
          MasterUserPassword: 'not-a-real-password-42',
          VpcSecurityGroupIds: [groupId],
        }),
      );
      return () => clients(sandbox).rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'holder-instance', SkipFinalSnapshot: true }));
    },
  },
  {
    kind: 'an RDS proxy (VpcSecurityGroupIds)',
    async create(sandbox, groupId, net) {
      await clients(sandbox).rds.send(
        new CreateDBProxyCommand({
          DBProxyName: 'holder-proxy',
          EngineFamily: 'POSTGRESQL',
          Auth: [{ AuthScheme: 'SECRETS', SecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:holder-AbCdEf', IAMAuth: 'REQUIRED' }],
          RoleArn: 'arn:aws:iam::123456789012:role/holder',
          VpcSubnetIds: net.subnetIds.slice(0, 2),
          VpcSecurityGroupIds: [groupId],
        }),
      );
      return () => clients(sandbox).rds.send(new DeleteDBProxyCommand({ DBProxyName: 'holder-proxy' }));
    },
  },
  {
    kind: 'a Lambda function (VpcConfig)',
    async create(sandbox, groupId, net) {
      const { iam, lambda } = clients(sandbox);
      const role = await iam.send(
        new CreateRoleCommand({
          RoleName: 'holder-fn',
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          }),
        }),
      );
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'holder-fn',
          Runtime: 'nodejs20.x',
          Role: role.Role!.Arn!,
          Handler: 'index.handler',
          Code: { ZipFile: EMPTY_ZIP },
          VpcConfig: { SubnetIds: [net.subnetIds[0]!], SecurityGroupIds: [groupId] },
        }),
      );
      return () => clients(sandbox).lambda.send(new DeleteFunctionCommand({ FunctionName: 'holder-fn' }));
    },
  },
];

describe('DeleteSecurityGroup on a group in use', () => {
  const sandbox = useSandbox();

  it('deletes a group nothing uses', async () => {
    const { ec2 } = clients(sandbox);
    const groupId = await newGroup(ec2, (await defaultNetwork(ec2)).vpcId, 'unused');

    expect(await deleteGroup(ec2, groupId)).toBe('deleted');
    expect(await groupExists(ec2, groupId)).toBe(false);
  });

  for (const holder of holders) {
    it(`refuses with DependencyViolation while ${holder.kind} uses it, and deletes it once that is gone`, async () => {
      const { ec2 } = clients(sandbox);
      const net = await defaultNetwork(ec2);
      const groupId = await newGroup(ec2, net.vpcId, 'held');
      const remove = await holder.create(sandbox, groupId, net);

      const refused = await deleteGroup(ec2, groupId);
      expect(await groupExists(ec2, groupId)).toBe(true);
      await remove();

      expect(refused).toEqual(inUse(groupId));
      expect(await deleteGroup(ec2, groupId)).toBe('deleted');
    });
  }

  it('refuses a group another group of its VPC names in a rule, and deletes it once the rule is revoked', async () => {
    const { ec2 } = clients(sandbox);
    const { vpcId } = await defaultNetwork(ec2);
    const source = await newGroup(ec2, vpcId, 'source');
    const target = await newGroup(ec2, vpcId, 'target');
    const permission = { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: source }] };
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: target, IpPermissions: [permission] }));

    const refused = await deleteGroup(ec2, source);
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: target, IpPermissions: [permission] }));

    expect(refused).toEqual(inUse(source));
    expect(await deleteGroup(ec2, source)).toBe('deleted');
  });

  it('deletes a group whose only reference is a rule of its own', async () => {
    const { ec2 } = clients(sandbox);
    const group = await newGroup(ec2, (await defaultNetwork(ec2)).vpcId, 'self-ref');
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: group,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: group }] }],
      }),
    );

    expect(await deleteGroup(ec2, group)).toBe('deleted');
  });
});

describe('DeleteSecurityGroup after the holder is deleted, with SANDBOX_ENI_RELEASE_SECONDS=2', () => {
  const sandbox = useSandbox({ env: { SANDBOX_ENI_RELEASE_SECONDS: '2' } });

  it('keeps refusing while the deleted proxy\'s network interfaces are released, then deletes the group', async () => {
    const proxy = holders.find((h) => h.kind.startsWith('an RDS proxy'))!;
    const { ec2 } = clients(sandbox);
    const net = await defaultNetwork(ec2);
    const groupId = await newGroup(ec2, net.vpcId, 'proxy-sg');
    await (await proxy.create(sandbox, groupId, net))();
    const deletedAt = Date.now();

    const refused = await deleteGroup(ec2, groupId);
    const refusedAfterMs = Date.now() - deletedAt;
    await new Promise((r) => setTimeout(r, 2_100 - refusedAfterMs));

    expect(refusedAfterMs).toBeLessThan(2_000);
    expect(refused).toEqual(inUse(groupId));
    expect(await deleteGroup(ec2, groupId)).toBe('deleted');
  });

  it('holds a deleted cluster\'s groups for the same delay', async () => {
    const cluster = holders.find((h) => h.kind.startsWith('a DB cluster'))!;
    const { ec2 } = clients(sandbox);
    const net = await defaultNetwork(ec2);
    const groupId = await newGroup(ec2, net.vpcId, 'cluster-sg');
    await (await cluster.create(sandbox, groupId, net))();

    const refused = await deleteGroup(ec2, groupId);
    await new Promise((r) => setTimeout(r, 2_100));

    expect(refused).toEqual(inUse(groupId));
    expect(await deleteGroup(ec2, groupId)).toBe('deleted');
  });
});
