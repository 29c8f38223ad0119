import { describe, expect, it } from 'vitest';
import { nameProblem } from '../../../src/config/aws-limits.js';
import { constrainedNames, finalSnapshotId, hasStackTag, STACK_TAG_KEY, stackNames, stackTags } from '../../../src/config/names.js';
import { stackName } from '../../../src/config/rules.js';

/** RDS DB snapshot identifier rules: 1-255 letters, digits, hyphens; a letter first; no "--"; no trailing "-". */
const SNAPSHOT_ID = /^[a-zA-Z](?:[a-zA-Z0-9]|-(?!-))*$/;

describe('stackNames', () => {
  it('derives every resource name from the stack name', () => {
    const names = stackNames('orders-dev', 'eu-west-1');

    expect(names).toMatchObject({
      stack: 'orders-dev',
      subnetGroup: 'orders-dev-subnets',
      proxySecurityGroup: 'orders-dev-proxy-sg',
      clusterSecurityGroup: 'orders-dev-cluster-sg',
      cluster: 'orders-dev-cluster',
      instance: 'orders-dev-writer',
      proxy: 'orders-dev-proxy',
    });
    expect(names.secret).toContain('orders-dev');
  });

  it('puts the region in the IAM role name, since IAM names are account-wide', () => {
    const east = stackNames('orders-dev', 'us-east-1').role;
    const west = stackNames('orders-dev', 'eu-west-1').role;

    expect(east).toContain('us-east-1');
    expect(west).toContain('eu-west-1');
    expect(east).not.toBe(west);
  });

  it.each([
    ['the longest stack name in the longest region name', 's'.repeat(40), 'ap-southeast-4'],
    ['the longest stack name made of single hyphens', 'a-'.repeat(19) + 'zz', 'ap-northeast-3'],
    ['a one-letter stack name', 'a', 'us-east-1'],
  ])('gives AWS names that pass the rule AWS documents for each, for %s', (_what, stack, region) => {
    const constrained = constrainedNames(stackNames(stackName(stack), region));

    for (const { name, limit } of constrained) expect(nameProblem(name, limit), name).toBeUndefined();
    expect(constrained.map((c) => c.what)).toEqual([
      'DB subnet group',
      'security group',
      'security group',
      'DB cluster',
      'DB instance',
      'IAM role',
      'RDS Proxy',
      'Lambda function',
      'IAM role',
    ]);
  });
});

describe('finalSnapshotId', () => {
  it('is "<stack>-final-" and the UTC time as lowercase yyyymmddthhmmssz', () => {
    expect(finalSnapshotId('orders-dev', new Date('2026-11-25T10:15:00.123Z'))).toBe('orders-dev-final-20261125t101500z');
  });

  it('uses UTC, not the local time zone', () => {
    expect(finalSnapshotId('demo', new Date(Date.UTC(2027, 0, 2, 3, 4, 5)))).toBe('demo-final-20270102t030405z');
  });

  it('is a valid DB snapshot identifier even for the longest stack name', () => {
    const id = finalSnapshotId(stackName('a-'.repeat(19) + 'zz'), new Date('2026-12-31T23:59:59.999Z'));

    expect(id).toMatch(SNAPSHOT_ID);
    expect(id).toBe(id.toLowerCase());
    expect(id.length).toBeLessThanOrEqual(255);
  });

  it('differs from one second to the next, so two teardowns never collide', () => {
    const first = finalSnapshotId('demo', new Date('2026-11-25T10:15:00Z'));
    const second = finalSnapshotId('demo', new Date('2026-11-25T10:15:01Z'));

    expect(first).not.toBe(second);
  });
});

describe('stack tags', () => {
  it('tags a resource with the stack and recognises the tag', () => {
    const tags = stackTags('demo');

    expect(tags).toEqual([{ Key: STACK_TAG_KEY, Value: 'demo' }]);
    expect(hasStackTag([{ Key: 'Owner', Value: 'me' }, ...tags], 'demo')).toBe(true);
  });

  it('does not recognise another stack, another key or no tags at all', () => {
    expect(hasStackTag(stackTags('other'), 'demo')).toBe(false);
    expect(hasStackTag([{ Key: 'stack', Value: 'demo' }], 'demo')).toBe(false);
    expect(hasStackTag(undefined, 'demo')).toBe(false);
  });
});
