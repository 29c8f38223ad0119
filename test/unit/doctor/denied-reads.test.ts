import type { SecurityGroup } from '@aws-sdk/client-ec2';
import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../../src/aws/clients.js';
import { CHECK_IDS, type CheckId } from '../../../src/doctor/check.js';
import { simulatedPermissions } from '../../../src/doctor/permissions.js';
import { got, missing } from '../../../src/doctor/read.js';
import { proxyUnread } from '../../../src/doctor/readers/proxy.js';
import type { DoctorOptions, KmsKeySnapshot, LambdaSnapshot, Read, SecretSnapshot, Snapshot } from '../../../src/doctor/snapshot.js';
import { ACCOUNT, checkAll, FN_ROLE_ARN, healthySnapshot, KEY_ARN, proxyRole, ROLE_ARN, SECRET_ARN, value, WITH_LAMBDA } from './healthy-snapshot.js';

/** A read AWS refused, as the readers keep it. */
function denied<T>(action: string, resource: string): Read<T> {
  return missing(`AccessDenied on ${action} for ${resource}`, 'AccessDeniedException', { action, resource });
}

type Failed = Extract<Read<never>, { ok: false }>;
const groups = (s: Snapshot) => value<Map<string, SecurityGroup>>(s.securityGroups);
const secret = (s: Snapshot) => value<SecretSnapshot>(s.secrets.get(SECRET_ARN)!);
const tcpTo = (port: number, target: { GroupId: string } | { CidrIp: string }) =>
  'GroupId' in target
    ? { IpProtocol: 'tcp', FromPort: port, ToPort: port, UserIdGroupPairs: [target] }
    : { IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [target] };

/** The database read, then the security groups and subnets read without the database's. */
function withoutDatabaseNetwork(s: Snapshot): void {
  groups(s).delete('sg-db');
  for (const id of ['subnet-db-a', 'subnet-db-b']) value<Map<string, unknown>>(s.subnets).delete(id);
}

/** The secret encrypted with a customer key the role may use. */
function customerKey(s: Snapshot): void {
  secret(s).kmsKeyId = KEY_ARN;
  const key: KmsKeySnapshot = {
    arn: KEY_ARN,
    keyId: 'k',
    enabled: true,
    keyState: 'Enabled',
    keyManager: 'CUSTOMER',
    policy: got({ Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] }),
  };
  s.kmsKeys = new Map([[KEY_ARN, got(key)]]);
  s.role = got(
    proxyRole([
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET_ARN },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN, Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } } },
    ]),
  );
}

interface Case {
  read: string;
  action: string;
  resource: string;
  options?: DoctorOptions;
  /** Makes the checks depend on the read (applied with and without the denial). */
  setup?: (s: Snapshot, d: Read<never>) => void;
  /** The denied read, and what the discovery pass derives from it. */
  deny: (s: Snapshot, d: Read<never>) => void;
  skipped: CheckId[];
}

const PROXY_PATTERN = 'arn:aws:rds:us-east-1:*:db-proxy:*';

const cases: Case[] = [
  {
    read: 'the proxy',
    action: 'rds:DescribeDBProxies',
    resource: PROXY_PATTERN,
    deny: (s, d) => {
      s.proxy = d;
      const unread = proxyUnread<never>(d as Failed);
      Object.assign(s, { targets: unread, cluster: unread, instances: unread, databaseSubnetIds: unread, securityGroups: unread, subnets: unread, role: unread });
      s.secrets = new Map();
    },
    skipped: CHECK_IDS.filter((id) => !['account.identity', 'logs.recent-errors'].includes(id)),
  },
  {
    read: 'the targets',
    action: 'rds:DescribeDBProxyTargets',
    resource: 'arn:aws:rds:us-east-1:111122223333:db-proxy:prx-0123456789abcdef0',
    deny: (s, d) => {
      Object.assign(s, { targets: d, cluster: d, instances: d, databaseSubnetIds: d });
      withoutDatabaseNetwork(s);
    },
    skipped: ['sg.proxy-to-cluster', 'proxy.targets', 'proxy.subnets', 'cluster.supported'],
  },
  {
    read: 'the cluster',
    action: 'rds:DescribeDBClusters',
    resource: 'arn:aws:rds:us-east-1:*:cluster:orders-db',
    deny: (s, d) => {
      s.cluster = d;
      groups(s).delete('sg-db');
    },
    skipped: ['sg.proxy-to-cluster', 'proxy.subnets', 'cluster.supported'],
  },
  {
    read: 'the instances',
    action: 'rds:DescribeDBInstances',
    resource: 'arn:aws:rds:us-east-1:*:db:*',
    deny: (s, d) => {
      Object.assign(s, { instances: d, databaseSubnetIds: d });
      withoutDatabaseNetwork(s);
    },
    skipped: ['sg.proxy-to-cluster', 'proxy.subnets', 'cluster.supported'],
  },
  {
    read: 'the DB subnet group, when the proxy\'s egress names the database\'s address range',
    action: 'rds:DescribeDBSubnetGroups',
    resource: 'arn:aws:rds:us-east-1:*:subgrp:orders-subnets',
    setup: (s) => {
      groups(s).get('sg-proxy')!.IpPermissionsEgress = [tcpTo(5432, { CidrIp: '172.31.32.0/19' }), tcpTo(443, { CidrIp: '0.0.0.0/0' })];
    },
    deny: (s, d) => {
      s.databaseSubnetIds = d;
      for (const id of ['subnet-db-a', 'subnet-db-b']) value<Map<string, unknown>>(s.subnets).delete(id);
    },
    skipped: ['sg.proxy-to-cluster'],
  },
  {
    read: 'the security groups',
    action: 'ec2:DescribeSecurityGroups',
    resource: '*',
    deny: (s, d) => {
      s.securityGroups = d;
    },
    skipped: ['sg.proxy-to-cluster', 'sg.proxy-egress-secrets', 'sg.client-to-proxy'],
  },
  {
    read: 'the subnets',
    action: 'ec2:DescribeSubnets',
    resource: '*',
    deny: (s, d) => {
      s.subnets = d;
    },
    skipped: ['sg.client-to-proxy', 'client.same-vpc', 'proxy.subnets'],
  },
  {
    read: 'the VPC of --client-sg, when the proxy admits clients by its range',
    action: 'ec2:DescribeVpcs',
    resource: '*',
    options: { clientSecurityGroupId: 'sg-client' },
    setup: (s) => {
      s.vpc = got({ VpcId: 'vpc-1', CidrBlock: '172.31.0.0/16' });
      groups(s).get('sg-proxy')!.IpPermissions = [tcpTo(5432, { CidrIp: '172.31.0.0/16' })];
    },
    deny: (s, d) => {
      s.vpc = d;
    },
    skipped: ['sg.client-to-proxy'],
  },
  {
    read: 'the Secrets Manager endpoints, when the proxy reaches Secrets Manager through one',
    action: 'ec2:DescribeVpcEndpoints',
    resource: '*',
    setup: (s) => {
      groups(s).get('sg-proxy')!.IpPermissionsEgress = [tcpTo(5432, { GroupId: 'sg-db' }), tcpTo(443, { GroupId: 'sg-endpoint' })];
      s.secretsEndpoints = got([{ VpcEndpointId: 'vpce-1', Groups: [{ GroupId: 'sg-endpoint' }] }]);
    },
    deny: (s, d) => {
      s.secretsEndpoints = d;
    },
    skipped: ['sg.proxy-egress-secrets'],
  },
  {
    read: 'the secret',
    action: 'secretsmanager:DescribeSecret',
    resource: SECRET_ARN,
    deny: (s, d) => {
      s.secrets = new Map([[SECRET_ARN, d]]);
    },
    skipped: ['iam.role-reads-secret', 'iam.role-kms', 'client.user-matches', 'secret.shape'],
  },
  {
    read: 'the secret\'s resource policy',
    action: 'secretsmanager:GetResourcePolicy',
    resource: SECRET_ARN,
    deny: (s, d) => {
      secret(s).resourcePolicy = d;
    },
    skipped: ['iam.role-reads-secret'],
  },
  {
    read: 'the secret\'s value',
    action: 'secretsmanager:GetSecretValue',
    resource: SECRET_ARN,
    deny: (s, d) => {
      secret(s).value = d;
    },
    skipped: ['client.user-matches', 'secret.shape'],
  },
  {
    read: 'the secret\'s customer managed key',
    action: 'kms:DescribeKey',
    resource: KEY_ARN,
    setup: customerKey,
    deny: (s, d) => {
      s.kmsKeys = new Map([[KEY_ARN, d]]);
    },
    skipped: ['iam.role-kms'],
  },
  {
    read: 'its key policy',
    action: 'kms:GetKeyPolicy',
    resource: KEY_ARN,
    setup: customerKey,
    deny: (s, d) => {
      value<KmsKeySnapshot>(s.kmsKeys.get(KEY_ARN)!).policy = d;
    },
    skipped: ['iam.role-kms'],
  },
  {
    read: 'the proxy\'s role',
    action: 'iam:GetRole',
    resource: ROLE_ARN,
    deny: (s, d) => {
      s.role = d;
    },
    skipped: ['iam.role-trust', 'iam.role-reads-secret', 'iam.role-kms'],
  },
  ...['iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:GetRolePolicy', 'iam:GetPolicy', 'iam:GetPolicyVersion'].map(
    (action): Case => ({
      read: `the proxy's role's policies (${action})`,
      action,
      resource: ROLE_ARN,
      deny: (s, d) => {
        s.role = got({ ...value<ReturnType<typeof proxyRole>>(s.role), policies: d });
      },
      skipped: ['iam.role-reads-secret'],
    }),
  ),
  {
    read: 'the function of --lambda',
    action: 'lambda:GetFunctionConfiguration',
    resource: 'arn:aws:lambda:us-east-1:*:function:orders-api',
    deny: (s, d) => {
      s.lambda = d;
    },
    skipped: ['sg.client-to-proxy', 'client.tls', 'client.endpoint', 'client.connect-permission', 'client.same-vpc', 'client.user-matches'],
  },
  {
    read: 'the function\'s role',
    action: 'iam:GetRole',
    resource: FN_ROLE_ARN,
    deny: (s, d) => {
      value<LambdaSnapshot>(s.lambda!).role = d;
    },
    skipped: ['client.connect-permission', 'client.same-vpc'],
  },
  {
    read: 'the proxy\'s log events',
    action: 'logs:FilterLogEvents',
    resource: 'arn:aws:logs:us-east-1:*:log-group:/aws/rds/proxy/orders-proxy:*',
    deny: (s, d) => {
      s.recentLogs = d;
    },
    skipped: ['logs.recent-errors'],
  },
];

describe('a check whose read was denied', () => {
  it.each(cases)('$read ($action): the checks that depend on it are skipped, naming the action and the permission to add', async (c) => {
    const d = denied<never>(c.action, c.resource);
    const options = c.options ?? WITH_LAMBDA;
    const before = healthySnapshot();
    c.setup?.(before, d);
    const after = healthySnapshot();
    c.setup?.(after, d);
    c.deny(after, d);
    const [was, is] = await Promise.all([checkAll(before, options), checkAll(after, options)]);

    for (const id of c.skipped) {
      expect(was.get(id)!.status, `${id} before the denial`).not.toBe('skip');
      expect(is.get(id), id).toMatchObject({ status: 'skip', evidence: expect.stringContaining(`AccessDenied on ${c.action} for ${c.resource}`) });
      expect(is.get(id)!.fix, id).toBe(`Grant ${c.action} on ${c.resource} to the CLI's user; \`rdsproxy-setup iam-policy --for doctor\` prints the policy doctor needs.`);
    }
    const others = CHECK_IDS.filter((id) => !c.skipped.includes(id));
    expect(Object.fromEntries(others.map((id) => [id, is.get(id)!.status]))).toEqual(Object.fromEntries(others.map((id) => [id, was.get(id)!.status])));
  });
});

describe('the permission questions when IAM\'s simulator is denied', () => {
  const iam = mockClient(IAMClient);
  afterEach(() => iam.reset());
  const simulatorDenied = () => {
    iam.on(SimulatePrincipalPolicyCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    return simulatedPermissions(createAwsClients({ region: 'us-east-1' }));
  };

  it('are answered from the role\'s policies, and the evidence names the denial and where the policy is', async () => {
    const results = await checkAll(healthySnapshot(), WITH_LAMBDA, simulatorDenied());
    expect(results.get('iam.role-reads-secret')).toMatchObject({
      status: 'pass',
      evidence: expect.stringContaining('because SimulatePrincipalPolicy was denied (AccessDenied: `rdsproxy-setup iam-policy --for doctor` includes iam:SimulatePrincipalPolicy)'),
    });
  });

  it('skip the check when the role\'s policies could not be read either, naming both permissions', async () => {
    const snapshot = healthySnapshot();
    snapshot.role = got({ ...value<ReturnType<typeof proxyRole>>(snapshot.role), policies: denied('iam:ListRolePolicies', ROLE_ARN) });
    const results = await checkAll(snapshot, WITH_LAMBDA, simulatorDenied());
    expect(results.get('iam.role-reads-secret')).toMatchObject({
      status: 'skip',
      fix: `Grant iam:SimulatePrincipalPolicy on ${ROLE_ARN} and iam:ListRolePolicies on ${ROLE_ARN} to the CLI's user; \`rdsproxy-setup iam-policy --for doctor\` prints the policy doctor needs.`,
    });
  });
});
