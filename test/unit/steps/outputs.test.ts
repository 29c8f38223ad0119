import { describe, expect, it } from 'vitest';
import type { Proxy } from '../../../src/steps/resources.js';
import { stackOutputs } from '../../../src/steps/outputs.js';

const proxy = (arn: string): Proxy => ({
  name: 'orders-proxy',
  arn,
  resourceId: 'prx-0abc',
  endpoint: 'orders-proxy.proxy-abc.rds.amazonaws.com.cn',
  status: 'available',
  requireTls: true,
  debugLogging: false,
  auth: [],
});

describe("a stack's outputs", () => {
  it('gives the rds-db:connect resource in the China partition for a proxy there', () => {
    const outputs = stackOutputs({ proxy: proxy('arn:aws-cn:rds:cn-north-1:123456789012:db-proxy:prx-0abc') }, 'postgres');

    expect(outputs.connectResourceArn).toBe('arn:aws-cn:rds-db:cn-north-1:123456789012:dbuser:prx-0abc/postgres');
  });

  it('gives it in GovCloud for a proxy there', () => {
    const outputs = stackOutputs({ proxy: proxy('arn:aws-us-gov:rds:us-gov-west-1:123456789012:db-proxy:prx-0abc') }, 'postgres');

    expect(outputs.connectResourceArn).toBe('arn:aws-us-gov:rds-db:us-gov-west-1:123456789012:dbuser:prx-0abc/postgres');
  });

  it('leaves the connect resource out when the database user is not known', () => {
    const outputs = stackOutputs({ proxy: proxy('arn:aws:rds:us-east-1:123456789012:db-proxy:prx-0abc') }, undefined);

    expect(outputs.connectResourceArn).toBeUndefined();
    expect(outputs.proxyArn).toBe('arn:aws:rds:us-east-1:123456789012:db-proxy:prx-0abc');
  });
});
