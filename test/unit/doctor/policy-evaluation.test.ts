import { describe, expect, it } from 'vitest';
import { evaluatePolicies, parsePolicy, principalMatches, trustsService, wildcardMatch, type NamedPolicy } from '../../../src/doctor/policy-evaluation.js';

const policy = (...Statement: unknown[]): NamedPolicy[] => [{ source: 'inline policy p', document: { Statement: Statement as never } }];
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/k1';

describe('local IAM policy evaluation', () => {
  it('matches actions with wildcards and without regard to case', () => {
    const d = evaluatePolicies(policy({ Effect: 'Allow', Action: 'SecretsManager:Get*', Resource: '*' }), {
      action: 'secretsmanager:GetSecretValue',
      resource: 'arn:aws:secretsmanager:us-east-1:1:secret:x',
    });
    expect(d.decision).toBe('allowed');
  });

  it('matches resources with * and ? but with regard to case', () => {
    expect(wildcardMatch('arn:aws:rds-db:*:*:dbuser:prx-?bc/*', 'arn:aws:rds-db:us-east-1:1:dbuser:prx-abc/app')).toBe(true);
    expect(wildcardMatch('arn:aws:rds-db:*:*:dbuser:PRX-abc/*', 'arn:aws:rds-db:us-east-1:1:dbuser:prx-abc/app')).toBe(false);
  });

  it('lets an explicit Deny win over an Allow', () => {
    const d = evaluatePolicies(
      policy({ Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'Stop', Effect: 'Deny', Action: 'kms:Decrypt', Resource: KEY }),
      { action: 'kms:Decrypt', resource: KEY },
    );
    expect(d).toMatchObject({ decision: 'explicit-deny', statement: { source: 'inline policy p', sid: 'Stop' } });
  });

  it('treats NotAction and NotResource as everything but the listed ones', () => {
    const p = policy({ Effect: 'Allow', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::private/*', });
    expect(evaluatePolicies(p, { action: 'kms:Decrypt', resource: KEY }).decision).toBe('allowed');
    expect(evaluatePolicies(p, { action: 'iam:PassRole', resource: KEY }).decision).toBe('implicit-deny');
  });

  it('allows kms:Decrypt only through the service named by kms:ViaService', () => {
    const p = policy({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY, Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } } });
    expect(evaluatePolicies(p, { action: 'kms:Decrypt', resource: KEY, context: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } }).decision).toBe('allowed');
    expect(evaluatePolicies(p, { action: 'kms:Decrypt', resource: KEY, context: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }).decision).toBe('implicit-deny');
    expect(evaluatePolicies(p, { action: 'kms:Decrypt', resource: KEY }).decision).toBe('implicit-deny');
  });

  it('understands StringLike, IfExists and negated operators', () => {
    const like = policy({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Condition: { StringLike: { 'kms:ViaService': 'secretsmanager.*.amazonaws.com' } } });
    expect(evaluatePolicies(like, { action: 'kms:Decrypt', resource: KEY, context: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } }).decision).toBe('allowed');
    const ifExists = policy({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEqualsIfExists: { 'aws:SourceVpc': 'vpc-1' } } });
    expect(evaluatePolicies(ifExists, { action: 'kms:Decrypt', resource: KEY }).decision).toBe('allowed');
    const notEquals = policy({ Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*', Condition: { StringNotEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } } });
    expect(evaluatePolicies(notEquals, { action: 'kms:Decrypt', resource: KEY, context: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } }).decision).toBe('implicit-deny');
  });

  it('reports conditions it cannot evaluate instead of guessing', () => {
    const p = policy({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } });
    const d = evaluatePolicies(p, { action: 'kms:Decrypt', resource: KEY });
    expect(d).toEqual({ decision: 'implicit-deny', statement: undefined, unevaluated: ['IpAddress'] });
  });

  it('reads URL-encoded documents as IAM returns them', () => {
    const encoded = encodeURIComponent(JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: ['rds.amazonaws.com'] }, Action: 'sts:AssumeRole' }] }));
    expect(trustsService(parsePolicy(encoded), 'rds.amazonaws.com')).toBe(true);
    expect(trustsService(parsePolicy(encoded), 'lambda.amazonaws.com')).toBe(false);
  });

  it("takes the account's root as the role's account in the role's own partition", () => {
    const role = 'arn:aws-us-gov:iam::111122223333:role/proxy-role';

    expect(principalMatches({ AWS: 'arn:aws-us-gov:iam::111122223333:root' }, role, '111122223333')).toBe(true);
    expect(principalMatches({ AWS: 'arn:aws:iam::111122223333:root' }, role, '111122223333')).toBe(false);
  });
});
