import { describe, expect, it } from 'vitest';
import { connectPolicyDocument, connectPolicyResources, policySize, samePolicy, userOfConnectResource } from '../../../src/grants/connect-policy.js';

const resource = (user: string) => `arn:aws:rds-db:us-east-1:123456789012:dbuser:prx-0abc/${user}`;

describe('the stack\'s connect policy', () => {
  it('allows rds-db:connect on exactly the given resources, each once, in order', () => {
    const document = JSON.parse(connectPolicyDocument([resource('b'), resource('a'), resource('b')]));

    expect(document.Statement).toEqual([
      { Sid: 'RdsProxySetupConnect', Effect: 'Allow', Action: 'rds-db:connect', Resource: [resource('a'), resource('b')] },
    ]);
  });

  it('reads back its resources, and the user of each', () => {
    const resources = connectPolicyResources(connectPolicyDocument([resource('app'), resource('reporting')]));

    expect(resources.map(userOfConnectResource)).toEqual(['app', 'reporting']);
  });

  it('reads no resources from a missing or unreadable document', () => {
    expect(connectPolicyResources(undefined)).toEqual([]);
    expect(connectPolicyResources('not json')).toEqual([]);
  });

  it('is measured as IAM counts it, without whitespace', () => {
    const compact = connectPolicyDocument([resource('app')]);
    expect(policySize(JSON.stringify(JSON.parse(compact), null, 2))).toBe(compact.length);
  });

  it('is the same document whatever its key order and spacing', () => {
    expect(samePolicy('{"b":1,"a":[1,2]}', '{ "a": [1, 2], "b": 1 }')).toBe(true);
    expect(samePolicy('{"a":[1,2]}', '{"a":[2,1]}')).toBe(false);
  });
});
