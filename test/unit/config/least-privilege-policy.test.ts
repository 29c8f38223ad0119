import { describe, expect, it } from 'vitest';
import { POLICY_COMMANDS, type PolicyCommand } from '../../../src/config/iam-actions.js';
import { leastPrivilegePolicy, patternMatches, type PolicyDocument, type PolicyScope } from '../../../src/config/least-privilege-policy.js';
import { stackNames } from '../../../src/config/names.js';

const ACCOUNT = '123456789012';
const scope = (overrides: Partial<PolicyScope> = {}): PolicyScope => ({
  partition: 'aws',
  region: 'eu-west-1',
  account: '*',
  names: stackNames('orders-dev', 'eu-west-1'),
  ...overrides,
});
const policyFor = (...commands: PolicyCommand[]) => leastPrivilegePolicy(commands, scope());

/** Whether some statement allows the action on the resource, and with which condition. */
function grant(policy: PolicyDocument, action: string, arn: string) {
  return policy.Statement.find((s) => s.Action.includes(action) && [s.Resource].flat().some((pattern) => patternMatches(pattern, arn)));
}
const allows = (policy: PolicyDocument, action: string, arn: string) => grant(policy, action, arn) !== undefined;
const actionsOf = (policy: PolicyDocument) => [...new Set(policy.Statement.flatMap((s) => s.Action))].sort();

const arn = {
  cluster: (name: string) => `arn:aws:rds:eu-west-1:${ACCOUNT}:cluster:${name}`,
  secret: (name: string) => `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:${name}-AbCdEf`,
  role: (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`,
  subnetGroup: (name: string) => `arn:aws:rds:eu-west-1:${ACCOUNT}:subgrp:${name}`,
};

describe('the least-privilege policy of up', () => {
  const up = policyFor('up');

  it('may create the stack\'s cluster, and no other', () => {
    expect(allows(up, 'rds:CreateDBCluster', arn.cluster('orders-dev-cluster'))).toBe(true);
    expect(allows(up, 'rds:CreateDBCluster', arn.cluster('orders-prod-cluster'))).toBe(false);
    expect(allows(up, 'rds:DeleteDBCluster', arn.cluster('orders-dev-cluster-2'))).toBe(false);
  });

  it('may write only the stack\'s secret, whose ARN ends in six random characters', () => {
    expect(allows(up, 'secretsmanager:PutSecretValue', arn.secret('rdsproxy-setup/orders-dev/master'))).toBe(true);
    expect(allows(up, 'secretsmanager:PutSecretValue', arn.secret('rdsproxy-setup/orders-prod/master'))).toBe(false);
    expect(allows(up, 'secretsmanager:PutSecretValue', `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:rdsproxy-setup/orders-dev/master-extra-AbCdEf`)).toBe(false);
  });

  it('may pass the stack\'s role to RDS only', () => {
    expect(grant(up, 'iam:PassRole', arn.role('rdsproxy-orders-dev-eu-west-1'))?.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'rds.amazonaws.com' },
    });
    expect(allows(up, 'iam:PassRole', arn.role('admin'))).toBe(false);
  });

  it('may delete what its rollback deletes', () => {
    expect(allows(up, 'rds:DeleteDBSubnetGroup', arn.subnetGroup('orders-dev-subnets'))).toBe(true);
    expect(allows(up, 'iam:DeleteRole', arn.role('rdsproxy-orders-dev-eu-west-1'))).toBe(true);
  });

  it('may read the DB subnet group --db-subnet-group names, whatever its name, but change only the stack\'s', () => {
    expect(allows(up, 'rds:DescribeDBSubnetGroups', arn.subnetGroup('shared-db-subnets'))).toBe(true);
    expect(allows(up, 'rds:ModifyDBSubnetGroup', arn.subnetGroup('shared-db-subnets'))).toBe(false);
  });

  it('allows * only for actions without resource-level permissions', () => {
    const anywhere = up.Statement.filter((s) => s.Resource === '*').flatMap((s) => s.Action);
    expect(anywhere.sort()).toEqual([
      'ec2:DescribeSecurityGroupRules',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
      'ec2:DescribeVpcs',
      'secretsmanager:GetRandomPassword',
    ]);
  });
});

describe('the least-privilege policy of the read-only commands', () => {
  const WRITES = /:(Create|Delete|Modify|Put|Register|Deregister|Restore|Revoke|Authorize|Tag|Detach|Pass|Add)/;

  it.each(['status', 'doctor', 'connect'] as const)('%s may change nothing', (command) => {
    expect(actionsOf(policyFor(command)).filter((a) => WRITES.test(a))).toEqual([]);
  });

  it('lets doctor read the role of a proxy another tool made, whatever its name', () => {
    const doctor = policyFor('doctor');
    for (const action of ['iam:GetRole', 'iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:SimulatePrincipalPolicy']) {
      expect(allows(doctor, action, arn.role('terraform-orders-proxy')), action).toBe(true);
    }
  });

  it('lets doctor read the resource policy of any secret', () => {
    expect(allows(policyFor('doctor'), 'secretsmanager:GetResourcePolicy', arn.secret('terraform/orders/db'))).toBe(true);
  });

  it('lets doctor read the AWS managed policies a role has attached', () => {
    expect(allows(policyFor('doctor'), 'iam:GetPolicyVersion', 'arn:aws:iam::aws:policy/SecretsManagerReadWrite')).toBe(true);
  });
});

describe('the policy for every command', () => {
  const all = leastPrivilegePolicy(POLICY_COMMANDS, scope());

  it('holds every action each command needs, and nothing else', () => {
    const union = [...new Set(POLICY_COMMANDS.flatMap((c) => actionsOf(policyFor(c))))].sort();
    expect(actionsOf(all)).toEqual(union);
  });

  it('grants an action on the stack\'s resource no more once it is granted on any: doctor\'s reads cover status\'s', () => {
    const clusterReads = all.Statement.filter((s) => s.Action.includes('rds:DescribeDBClusters'));
    expect(clusterReads.map((s) => s.Resource)).toEqual(['arn:aws:rds:eu-west-1:*:cluster:*']);
  });

  it('fits in a customer managed policy: at most 6,144 characters without whitespace', () => {
    expect(JSON.stringify(all).length).toBeLessThanOrEqual(6144);
  });

  it('puts the account into every ARN when it is given, except the policies AWS manages in its own account', () => {
    const resources = leastPrivilegePolicy(POLICY_COMMANDS, scope({ account: ACCOUNT })).Statement.flatMap((s) => [s.Resource].flat());
    const withoutAccount = resources.filter((r) => r !== '*' && r.split(':')[4] !== ACCOUNT);
    expect(withoutAccount).toEqual(['arn:aws:iam::*:policy/*']);
  });

  it('uses the partition of the region', () => {
    const china = leastPrivilegePolicy(POLICY_COMMANDS, scope({ partition: 'aws-cn', region: 'cn-north-1', names: stackNames('orders-dev', 'cn-north-1') }));
    const resources = china.Statement.flatMap((s) => [s.Resource].flat()).filter((r) => r !== '*');
    expect(resources.filter((r) => !r.startsWith('arn:aws-cn:'))).toEqual([]);
    expect(resources).toContain('arn:aws-cn:iam::*:role/rdsproxy-orders-dev-cn-north-1');
  });
});

describe('patternMatches', () => {
  it('reads * as any run of characters and ? as exactly one', () => {
    expect(patternMatches('arn:aws:rds:*:cluster:a-?', 'arn:aws:rds:eu-west-1:cluster:a-b')).toBe(true);
    expect(patternMatches('arn:aws:rds:*:cluster:a-?', 'arn:aws:rds:eu-west-1:cluster:a-bc')).toBe(false);
  });

  it('takes every other character literally', () => {
    expect(patternMatches('arn:aws:logs:eu-west-1:1:log-group:/aws/rds/proxy/*', 'arn:aws:logs:eu-west-1:1:log-group:/aws/rds/proxy/p:*')).toBe(true);
    expect(patternMatches('a.b', 'axb')).toBe(false);
  });
});

describe('the least-privilege policy of grant and revoke', () => {
  const grantPolicy = policyFor('grant');

  it('may attach AWSLambdaVPCAccessExecutionRole to a client\'s role, and no other policy', () => {
    expect(grant(grantPolicy, 'iam:AttachRolePolicy', arn.role('api-role'))?.Condition).toEqual({
      ArnLike: { 'iam:PolicyARN': 'arn:*:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole' },
    });
  });

  it('may not create, delete or pass roles', () => {
    for (const action of ['iam:CreateRole', 'iam:DeleteRole', 'iam:PassRole']) expect(actionsOf(grantPolicy), action).not.toContain(action);
  });

  it('for revoke may only take away: no tag, rule or attachment is added', () => {
    const revoke = actionsOf(policyFor('revoke'));
    for (const action of ['ec2:CreateTags', 'ec2:AuthorizeSecurityGroupIngress', 'lambda:TagResource', 'iam:AttachRolePolicy', 'iam:TagRole']) {
      expect(revoke, action).not.toContain(action);
    }
  });

  it('leaves out a conditioned statement that an unconditioned one of the same action already covers', () => {
    const both = policyFor('up', 'grant');
    expect(both.Statement.filter((s) => s.Action.includes('ec2:CreateTags')).map((s) => s.Condition)).toEqual([undefined]);
    expect(grant(policyFor('up'), 'ec2:CreateTags', `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-1`)?.Condition).toBeDefined();
  });
});
