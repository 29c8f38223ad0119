import { describe, expect, it } from 'vitest';
import { connectResourceArn, parseArn } from '../../../src/config/arns.js';

describe('ARNs', () => {
  it('splits an ARN into partition, service, region, account and resource', () => {
    expect(parseArn('arn:aws-us-gov:rds:us-gov-west-1:123456789012:db-proxy:prx-0abc')).toEqual({
      partition: 'aws-us-gov',
      service: 'rds',
      region: 'us-gov-west-1',
      account: '123456789012',
      resource: 'db-proxy:prx-0abc',
    });
  });

  it('does not take a name for an ARN', () => {
    expect(parseArn('orders-dev-proxy')).toBeUndefined();
  });

  it("names the proxy's prx- id in the rds-db:connect resource, in the proxy's own partition", () => {
    expect(connectResourceArn('arn:aws-cn:rds:cn-north-1:123456789012:db-proxy:prx-0abc', 'app_user')).toBe(
      'arn:aws-cn:rds-db:cn-north-1:123456789012:dbuser:prx-0abc/app_user',
    );
  });
});
