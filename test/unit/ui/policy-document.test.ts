import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../../src/config/least-privilege-policy.js';
import { renderPolicy } from '../../../src/ui/policy-document.js';

const policy: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['rds:DescribeDBProxies'], Resource: 'arn:aws:rds:eu-west-1:*:db-proxy:*' },
    { Effect: 'Allow', Action: ['iam:PassRole'], Resource: ['arn:aws:iam::*:role/r'], Condition: { StringEquals: { 'iam:PassedToService': 'rds.amazonaws.com' } } },
  ],
};

describe('renderPolicy', () => {
  it('prints one statement per line', () => {
    expect(renderPolicy(policy).split('\n')).toEqual([
      '{',
      '  "Version": "2012-10-17",',
      '  "Statement": [',
      '    { "Effect": "Allow", "Action": ["rds:DescribeDBProxies"], "Resource": "arn:aws:rds:eu-west-1:*:db-proxy:*" },',
      '    { "Effect": "Allow", "Action": ["iam:PassRole"], "Resource": ["arn:aws:iam::*:role/r"], "Condition": { "StringEquals": { "iam:PassedToService": "rds.amazonaws.com" } } }',
      '  ]',
      '}',
    ]);
  });

  it('prints JSON that reads back as the same document', () => {
    expect(JSON.parse(renderPolicy(policy))).toEqual(policy);
  });
});
