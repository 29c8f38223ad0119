import { CreateLogGroupCommand, CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  AuthorizeSecurityGroupEgressCommand,
  CreateSecurityGroupCommand,
  DescribeVpcsCommand,
  EC2Client,
  RevokeSecurityGroupEgressCommand,
} from '@aws-sdk/client-ec2';
import { AttachRolePolicyCommand, CreatePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { DescribeDBClustersCommand, DescribeDBProxiesCommand, EnableHttpEndpointCommand, RDSClient } from '@aws-sdk/client-rds';
import { DescribeSecretCommand, SecretsManagerClient, UpdateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { beforeAll, describe, expect, it } from 'vitest';
import { actionsOnly, deniedWith, SIMULATOR_FALLBACK_READS, useAccessControl, without, type PolicyDocument, type Principal } from './support/access-control.js';
import { callsIn } from './support/aws-calls.js';
import { runCli } from './support/cli.js';
import { buildClientFunction } from './support/foreign-proxy.js';
import type { Sandbox } from './support/sandbox.js';

const STACK = 'acl';
const REGION = 'us-east-1';

interface Check {
  id: string;
  status: string;
  evidence: string;
  fix?: string;
}

/** Two ways to run doctor on the stack, so that every read it makes is made and needed by some check. */
const RUNS = {
  /** The function and its role, the subnets its checks need. */
  lambda: (fn: string) => ['--lambda', fn, '--user', 'postgres'],
  /** The VPC, whose range stands for a client the proxy admits by that range when only its security group is given. */
  clientSg: (sg: string) => ['--client-sg', sg],
};

/**
 * The stack of `up`, changed so that doctor makes every read it can: the secret encrypted with a
 * customer managed key, a managed policy on the role, a proxy that reaches the database by address
 * range and Secrets Manager not at all (so the VPC's endpoints are read), a log group, a client
 * function in the VPC, a client security group the proxy admits only by the VPC's range, and the
 * cluster's Data API on (doctor asks the database about --user through it).
 */
async function buildFixture(admin: Principal, sandbox: Sandbox) {
  const c = admin.clientConfig;
  const rds = new RDSClient(c);
  const ec2 = new EC2Client(c);
  const up = await runCli(['up', '--name', STACK], admin.env);
  expect(up.code, up.stderr).toBe(0);
  const proxy = (await rds.send(new DescribeDBProxiesCommand({ DBProxyName: `${STACK}-proxy` }))).DBProxies![0]!;
  const cluster = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: `${STACK}-cluster` }))).DBClusters![0]!;
  const vpcCidr = (await ec2.send(new DescribeVpcsCommand({ VpcIds: [proxy.VpcId!] }))).Vpcs![0]!.CidrBlock!;
  const proxySg = proxy.VpcSecurityGroupIds![0]!;
  const secretArn = (await new SecretsManagerClient(c).send(new DescribeSecretCommand({ SecretId: `rdsproxy-setup/${STACK}/master` }))).ARN!;
  const role = `rdsproxy-${STACK}-${REGION}`;

  const keyArn = (await new KMSClient(c).send(new CreateKeyCommand({ Description: 'the secret\'s key' }))).KeyMetadata!.Arn!;
  await new SecretsManagerClient(c).send(new UpdateSecretCommand({ SecretId: secretArn, KmsKeyId: keyArn }));
  const decrypt = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn, Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` } } }],
  };
  const iam = new IAMClient(c);
  const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'acl-decrypt', PolicyDocument: JSON.stringify(decrypt) }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: Policy!.Arn! }));

  await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: proxySg, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  await ec2.send(
    new AuthorizeSecurityGroupEgressCommand({ GroupId: proxySg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: vpcCidr }] }] }),
  );
  await new CloudWatchLogsClient(c).send(new CreateLogGroupCommand({ logGroupName: `/aws/rds/proxy/${STACK}-proxy` }));
  await rds.send(new EnableHttpEndpointCommand({ ResourceArn: cluster.DBClusterArn! }));

  const fn = await buildClientFunction({ ...sandbox, clientConfig: c }, {
    proxyName: proxy.DBProxyName!,
    proxyArn: proxy.DBProxyArn!,
    resourceId: proxy.DBProxyArn!.split(':').pop()!,
    endpoint: proxy.Endpoint!,
    vpcId: proxy.VpcId!,
    subnetIds: proxy.VpcSubnetIds!,
    proxySecurityGroupId: proxySg,
    clusterSecurityGroupId: cluster.VpcSecurityGroups![0]!.VpcSecurityGroupId!,
    clusterId: cluster.DBClusterIdentifier!,
    clusterEndpoint: cluster.Endpoint!,
    secretArn,
    roleArn: proxy.RoleArn!,
    user: 'postgres',
  }, { name: 'api' });
  const clientSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'office', Description: 'clients', VpcId: proxy.VpcId! }))).GroupId!;
  return { fn, clientSg };
}

describe('doctor with a permission missing, moto\'s access control on', () => {
  const acl = useAccessControl();
  let doctorPolicy: PolicyDocument;
  let runs: string[][];

  async function doctorAs(user: Principal) {
    return Promise.all(
      runs.map(async (args) => {
        const result = await runCli(['doctor', '--name', STACK, ...args, '--json', '--verbose'], user.env);
        // Each run is another user: account.identity names it.
        const checks = (JSON.parse(result.stdout.replaceAll(user.name, '<user>')) as { checks: Check[] }).checks;
        return { checks: new Map(checks.map((c) => [`${c.id} (${args[0]})`, c])), calls: callsIn(result.stderr) };
      }),
    );
  }
  const merged = (results: Awaited<ReturnType<typeof doctorAs>>) => ({
    checks: new Map(results.flatMap((r) => [...r.checks])),
    calls: new Set(results.flatMap((r) => [...r.calls])),
  });

  let baseline: ReturnType<typeof merged>;

  beforeAll(async () => {
    const { fn, clientSg } = await buildFixture(acl.admin, acl.sandbox);
    runs = [RUNS.lambda(fn), RUNS.clientSg(clientSg)];
    const printed = await runCli(['iam-policy', '--for', 'doctor', '--name', STACK, '--region', REGION, '--json'], {});
    doctorPolicy = JSON.parse(printed.stdout) as PolicyDocument;
    baseline = merged(await doctorAs(await acl.userWith(actionsOnly(doctorPolicy))));
  });

  const actionsOf = (policy: PolicyDocument) => [...new Set(policy.Statement.flatMap((s) => [s.Action].flat()))].sort();

  it('makes every read of iam-policy --for doctor on this stack, and is refused none of them', () => {
    expect(actionsOf(doctorPolicy).filter((a) => !baseline.calls.has(a))).toEqual([]);
    expect([...baseline.checks].filter(([, c]) => /AccessDenied|was denied/.test(c.evidence)).map(([id]) => id)).toEqual([]);
  });

  it('skips, never passes, every check that needs a read the user may not make, naming the action and the permission to add', async () => {
    for (const action of actionsOf(doctorPolicy)) {
      const denied = merged(await doctorAs(await acl.userWith(actionsOnly(without(doctorPolicy, ...deniedWith(action))))));
      const changed = [...denied.checks].filter(([id, c]) => {
        const before = baseline.checks.get(id)!;
        return c.status !== before.status || c.evidence !== before.evidence;
      });
      expect(changed.length, `${action}: no check depends on it`).toBeGreaterThan(0);
      if (SIMULATOR_FALLBACK_READS.has(action)) {
        expect(changed.filter(([, c]) => c.status === 'skip' && c.evidence.includes(`AccessDenied on ${action}`)).length, action).toBeGreaterThan(0);
      }
      for (const [id, c] of changed) {
        if (action === 'iam:SimulatePrincipalPolicy' || (SIMULATOR_FALLBACK_READS.has(action) && !c.evidence.includes(`AccessDenied on ${action}`))) {
          // The simulator has a fallback: the role's own policies, evaluated locally, and the evidence says why.
          expect(c.evidence, id).toContain('SimulatePrincipalPolicy was denied (AccessDenied: `rdsproxy-setup iam-policy --for doctor` includes iam:SimulatePrincipalPolicy)');
          continue;
        }
        expect(c.status, `${action}: ${id}`).toBe('skip');
        expect(c.evidence, `${action}: ${id}`).toContain(`AccessDenied on ${action}`);
        expect(c.fix, `${action}: ${id}`).toMatch(new RegExp(`^Grant .*${action.replace(/[:*]/g, '\\$&')} on .*; \`rdsproxy-setup iam-policy --for doctor\` prints the policy doctor needs\\.$`));
      }
    }
  });
});
