import { describe, expect, it } from 'vitest';
import { arnIn, doctorResource, grantFix } from '../../../src/doctor/denials.js';

describe('the permission a denied read names', () => {
  it('is what iam-policy --for doctor grants, in the region, when the read does not know its resource', () => {
    expect(doctorResource('rds:DescribeDBProxies', 'eu-west-1')).toBe('arn:aws:rds:eu-west-1:*:db-proxy:*');
    expect(doctorResource('ec2:DescribeSubnets', 'eu-west-1')).toBe('*');
    expect(doctorResource('logs:FilterLogEvents', 'cn-north-1')).toBe('arn:aws-cn:logs:cn-north-1:*:log-group:/aws/rds/proxy/*');
  });

  it('is a resource known by name in the region, whatever its account', () => {
    expect(arnIn('us-gov-west-1', 'rds', 'cluster:orders-db')).toBe('arn:aws-us-gov:rds:us-gov-west-1:*:cluster:orders-db');
  });
});

describe('grantFix', () => {
  it('names each permission once, and the command that prints them all', () => {
    const denial = { action: 'iam:ListRolePolicies', resource: 'arn:aws:iam::1:role/r' };
    expect(grantFix([denial, { action: 'iam:SimulatePrincipalPolicy', resource: 'arn:aws:iam::1:role/r' }, denial])).toBe(
      "Grant iam:ListRolePolicies on arn:aws:iam::1:role/r and iam:SimulatePrincipalPolicy on arn:aws:iam::1:role/r to the CLI's user; `rdsproxy-setup iam-policy --for doctor` prints the policy doctor needs.",
    );
  });

  it('names the action alone when the resource is not known', () => {
    expect(grantFix([{ action: 'iam:GetRole' }])).toBe("Grant iam:GetRole to the CLI's user; `rdsproxy-setup iam-policy --for doctor` prints the policy doctor needs.");
  });
});
