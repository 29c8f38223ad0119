import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  CreateDBProxyCommand,
  CreateDBSubnetGroupCommand,
  DescribeDBProxyTargetsCommand,
  RDSClient,
  RegisterDBProxyTargetsCommand,
} from '@aws-sdk/client-rds';
import { CreateSecretCommand, DeleteSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Sandbox } from './sandbox.js';

/**
 * Builds RDS proxies the way another tool (Terraform, CDK, the console) would: plain SDK calls,
 * no rdsproxy-setup tags, names of its own. Each option turns one DOCTOR.md fault on.
 */
export interface ForeignProxyOptions {
  /** Prefix of every name. */
  name: string;
  /** Proxy and cluster share one security group with a self-referencing rule. */
  sharedSecurityGroup?: boolean;
  /** The cluster's security group admits the proxy's (default true). */
  clusterAdmitsProxy?: boolean;
  /** The service the role trusts (default rds.amazonaws.com). */
  trustedService?: string;
  /** The role may secretsmanager:GetSecretValue on the secret (default true). */
  roleReadsSecret?: boolean;
  requireTls?: boolean;
  iamAuth?: 'REQUIRED' | 'DISABLED';
  /** The secret's value (default a username and password). */
  secretValue?: Record<string, string>;
  scheduleSecretDeletion?: boolean;
  /** Encrypt the secret with a new customer managed key; the role gets kms:Decrypt via Secrets Manager. */
  customerKey?: boolean;
  engineMode?: 'provisioned' | 'serverless';
  /** Proxy subnets in a single Availability Zone. */
  singleAz?: boolean;
}

export interface ForeignProxy {
  proxyName: string;
  proxyArn: string;
  /** The `prx-…` id. */
  resourceId: string;
  endpoint: string;
  vpcId: string;
  subnetIds: string[];
  proxySecurityGroupId: string;
  clusterSecurityGroupId: string;
  clusterId: string;
  clusterEndpoint: string;
  secretArn: string;
  roleArn: string;
  /** The username in the secret. */
  user: string;
}

export const FOREIGN_USER = 'app_owner';

const EXAMPLE_PASSWORD = 'not-a-real-password-42';

export function sdkClients(sandbox: Sandbox) {
  const c = sandbox.clientConfig;
  return {
    ec2: new EC2Client(c),
    rds: new RDSClient(c),
    iam: new IAMClient(c),
    sm: new SecretsManagerClient(c),
    kms: new KMSClient(c),
    lambda: new LambdaClient(c),
  };
}

async function defaultNetwork(ec2: EC2Client): Promise<{ vpcId: string; subnets: { id: string; az: string }[] }> {
  const vpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0]!;
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).Subnets!;
  return {
    vpcId: vpc.VpcId!,
    subnets: subnets.map((s) => ({ id: s.SubnetId!, az: s.AvailabilityZone! })).sort((a, b) => a.az.localeCompare(b.az)),
  };
}

export async function buildForeignProxy(sandbox: Sandbox, options: ForeignProxyOptions): Promise<ForeignProxy> {
  const { ec2, rds, iam, sm, kms } = sdkClients(sandbox);
  const n = options.name;
  const { vpcId, subnets } = await defaultNetwork(ec2);

  const proxySg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `${n}-proxy`, Description: 'proxy', VpcId: vpcId }))).GroupId!;
  const clusterSg = options.sharedSecurityGroup
    ? proxySg
    : (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `${n}-db`, Description: 'db', VpcId: vpcId }))).GroupId!;
  if (options.clusterAdmitsProxy ?? true) {
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: clusterSg,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: proxySg }] }],
      }),
    );
  }

  const keyArn = options.customerKey ? (await kms.send(new CreateKeyCommand({ Description: n }))).KeyMetadata!.Arn! : undefined;
  const secretValue = options.secretValue ?? { username: FOREIGN_USER, password: EXAMPLE_PASSWORD };
  const secretArn = (
    await sm.send(new CreateSecretCommand({ Name: `${n}/db`, SecretString: JSON.stringify(secretValue), KmsKeyId: keyArn }))
  ).ARN!;
  if (options.scheduleSecretDeletion) {
    await sm.send(new DeleteSecretCommand({ SecretId: secretArn, RecoveryWindowInDays: 7 }));
  }

  const roleName = `${n}-proxy-role`;
  const roleArn = (
    await iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: options.trustedService ?? 'rds.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    )
  ).Role!.Arn!;
  const statements: unknown[] = [];
  if (options.roleReadsSecret ?? true) {
    statements.push({ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: secretArn });
  } else {
    statements.push({ Effect: 'Allow', Action: 'secretsmanager:ListSecrets', Resource: '*' });
  }
  if (keyArn) {
    statements.push({
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: keyArn,
      Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${sandbox.clientConfig.region}.amazonaws.com` } },
    });
  }
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: roleName,
      PolicyName: 'secret-access',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    }),
  );

  const subnetIds = options.singleAz ? [subnets[0]!.id] : [subnets[0]!.id, subnets[1]!.id];
  await rds.send(
    new CreateDBSubnetGroupCommand({ DBSubnetGroupName: `${n}-subnets`, DBSubnetGroupDescription: n, SubnetIds: [subnets[0]!.id, subnets[1]!.id] }),
  );
  const clusterId = `${n}-db`;
  const serverlessV1 = options.engineMode === 'serverless';
  const cluster = (
    await rds.send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: clusterId,
        Engine: 'aurora-postgresql',
        EngineVersion: '16.6',
        EngineMode: serverlessV1 ? 'serverless' : 'provisioned',
        ...(serverlessV1 ? {} : { ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 2 } }),
        MasterUsername: secretValue.username ?? FOREIGN_USER,
        MasterUserPassword: EXAMPLE_PASSWORD,
        DBSubnetGroupName: `${n}-subnets`,
        VpcSecurityGroupIds: [clusterSg],
      }),
    )
  ).DBCluster!;
  if (!serverlessV1) {
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: `${n}-writer`,
        DBClusterIdentifier: clusterId,
        Engine: 'aurora-postgresql',
        DBInstanceClass: 'db.serverless',
      }),
    );
  }

  const proxyName = `${n}-proxy`;
  const proxy = (
    await rds.send(
      new CreateDBProxyCommand({
        DBProxyName: proxyName,
        EngineFamily: 'POSTGRESQL',
        Auth: [{ AuthScheme: 'SECRETS', SecretArn: secretArn, IAMAuth: options.iamAuth ?? 'REQUIRED' }],
        RoleArn: roleArn,
        VpcSubnetIds: subnetIds,
        VpcSecurityGroupIds: [proxySg],
        RequireTLS: options.requireTls ?? true,
      }),
    )
  ).DBProxy!;
  await rds.send(new RegisterDBProxyTargetsCommand({ DBProxyName: proxyName, DBClusterIdentifiers: [clusterId] }));
  // The sandbox reports each instance row REGISTERING on the first look and AVAILABLE on the next.
  await rds.send(new DescribeDBProxyTargetsCommand({ DBProxyName: proxyName }));

  return {
    proxyName,
    proxyArn: proxy.DBProxyArn!,
    resourceId: proxy.DBProxyArn!.split(':').pop()!,
    endpoint: proxy.Endpoint!,
    vpcId,
    subnetIds,
    proxySecurityGroupId: proxySg,
    clusterSecurityGroupId: clusterSg,
    clusterId,
    clusterEndpoint: cluster.Endpoint!,
    secretArn,
    roleArn,
    user: secretValue.username ?? FOREIGN_USER,
  };
}

export interface ClientFunctionOptions {
  name: string;
  /** Attach it to the proxy's VPC (default) or to a VPC of its own. */
  vpc?: 'proxy' | 'other';
  /** What its role's rds-db:connect names: the proxy's prx- id (default), its name, or nothing. */
  connectResource?: 'resource-id' | 'proxy-name' | 'none';
  /** The host in its environment: the proxy's endpoint (default) or the cluster's. */
  host?: 'proxy' | 'cluster';
  /** PGUSER in its environment (default the secret's username). */
  user?: string;
  extraEnvironment?: Record<string, string>;
}

/** An empty zip archive: creating a function in the sandbox needs code, running it is not tested. */
const EMPTY_ZIP = Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64');

/** A client Lambda function for a foreign proxy, with its own role and security group. */
export async function buildClientFunction(sandbox: Sandbox, proxy: ForeignProxy, options: ClientFunctionOptions): Promise<string> {
  const { ec2, iam, lambda } = sdkClients(sandbox);
  const n = options.name;
  let vpcId = proxy.vpcId;
  let subnetIds = [proxy.subnetIds[0]!];
  if (options.vpc === 'other') {
    vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }))).Vpc!.VpcId!;
    subnetIds = [(await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.20.1.0/24' }))).Subnet!.SubnetId!];
  }
  const sg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `${n}-fn`, Description: 'function', VpcId: vpcId }))).GroupId!;
  if (options.vpc !== 'other') {
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: proxy.proxySecurityGroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: sg }] }],
      }),
    );
  }
  const region = sandbox.clientConfig.region;
  const account = proxy.proxyArn.split(':')[4];
  const connect = options.connectResource ?? 'resource-id';
  const statements: unknown[] = [
    {
      Effect: 'Allow',
      Action: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface'],
      Resource: '*',
    },
  ];
  if (connect !== 'none') {
    const id = connect === 'resource-id' ? proxy.resourceId : proxy.proxyName;
    statements.push({ Effect: 'Allow', Action: 'rds-db:connect', Resource: `arn:aws:rds-db:${region}:${account}:dbuser:${id}/*` });
  }
  const roleName = `${n}-fn-role`;
  const roleArn = (
    await iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    )
  ).Role!.Arn!;
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: roleName,
      PolicyName: 'function',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    }),
  );
  const functionName = `${n}-fn`;
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: functionName,
      Runtime: 'nodejs20.x',
      Role: roleArn,
      Handler: 'index.handler',
      Code: { ZipFile: EMPTY_ZIP },
      VpcConfig: { SubnetIds: subnetIds, SecurityGroupIds: [sg] },
      Environment: {
        Variables: {
          PGHOST: options.host === 'cluster' ? proxy.clusterEndpoint : proxy.endpoint,
          PGPORT: '5432',
          PGUSER: options.user ?? proxy.user,
          PGDATABASE: 'app',
          ...options.extraEnvironment,
        },
      },
    }),
  );
  return functionName;
}
