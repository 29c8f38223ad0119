import { describe, expect, it } from 'vitest';
import { admitsGroup, allowsEgressTo, stackRules } from '../../../src/grants/network-rules.js';
import { grantsNetworkInterfaces } from '../../../src/grants/network-interface-permissions.js';

describe('an equivalent ingress rule', () => {
  it('is TCP on a range holding 5432, or all traffic, from the same group', () => {
    expect(admitsGroup([{ IpProtocol: 'tcp', FromPort: 5000, ToPort: 6000, UserIdGroupPairs: [{ GroupId: 'sg-1' }] }], 'sg-1', 5432)).toBe(true);
    expect(admitsGroup([{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: 'sg-1' }] }], 'sg-1', 5432)).toBe(true);
  });

  it('is not one from another group, on another port, or from an address range', () => {
    expect(admitsGroup([{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: 'sg-2' }] }], 'sg-1', 5432)).toBe(false);
    expect(admitsGroup([{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: 'sg-1' }] }], 'sg-1', 5432)).toBe(false);
    expect(admitsGroup([{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.0.0.0/16' }] }], 'sg-1', 5432)).toBe(false);
  });
});

describe('egress to the proxy', () => {
  it('is allowed by a rule to anywhere or to the proxy\'s group', () => {
    expect(allowsEgressTo([{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }], 'sg-p', 5432)).toBe(true);
    expect(allowsEgressTo([{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: 'sg-p' }] }], 'sg-p', 5432)).toBe(true);
  });

  it('is not allowed by HTTPS only', () => {
    expect(allowsEgressTo([{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }], 'sg-p', 5432)).toBe(false);
  });
});

describe('the rules a stack\'s grants added', () => {
  it('are the PostgreSQL rules from groups whose description is a record of the stack', () => {
    const rules = stackRules(
      [
        {
          IpProtocol: 'tcp',
          FromPort: 5432,
          ToPort: 5432,
          UserIdGroupPairs: [
            { GroupId: 'sg-a', Description: 'rdsproxy-setup:demo client lambda:api' },
            { GroupId: 'sg-b', Description: 'added by hand' },
            { GroupId: 'sg-c', Description: 'rdsproxy-setup:other client lambda:api' },
          ],
        },
      ],
      'demo',
      5432,
    );
    expect(rules).toEqual([{ peerGroupId: 'sg-a', description: 'rdsproxy-setup:demo client lambda:api' }]);
  });
});

describe('the network-interface permissions read from a role\'s policies', () => {
  const statement = (Action: string | string[], extra: object = {}) => JSON.stringify({ Statement: [{ Effect: 'Allow', Action, Resource: '*', ...extra }] });

  it('come with AWS\'s managed policies for it', () => {
    expect(grantsNetworkInterfaces([], ['arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole'])).toBe(true);
  });

  it('come with an inline policy allowing the three actions, or ec2:*, on *', () => {
    expect(grantsNetworkInterfaces([statement(['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface'])], [])).toBe(true);
    expect(grantsNetworkInterfaces([statement('ec2:*')], [])).toBe(true);
  });

  it('are missing when one action is, or when a condition could deny them', () => {
    expect(grantsNetworkInterfaces([statement(['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces'])], [])).toBe(false);
    expect(grantsNetworkInterfaces([statement('ec2:*', { Condition: { Bool: { 'aws:SecureTransport': 'true' } } })], [])).toBe(false);
  });
});
