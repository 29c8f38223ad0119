import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { givenGlobalOptions, withRegion } from '../../../src/config/global-options.js';
import { UsageError } from '../../../src/errors.js';

/** Runs `build` expecting a UsageError (exit 2) and returns its message. */
function refusal(build: () => unknown): string {
  try {
    build();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    return (err as UsageError).message;
  }
  throw new Error('expected a UsageError, but the options were accepted');
}

beforeEach(() => {
  vi.stubEnv('RDSPROXY_STACK', undefined);
  vi.stubEnv('AWS_ENDPOINT_URL', undefined);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('givenGlobalOptions', () => {
  it('with no options uses the demo stack, no region yet and every switch off', () => {
    expect(givenGlobalOptions({})).toEqual({
      stack: 'demo',
      region: undefined,
      profile: undefined,
      endpoint: undefined,
      json: false,
      yes: false,
      verbose: false,
    });
  });

  it('takes the stack from RDSPROXY_STACK and the endpoint from AWS_ENDPOINT_URL, a flag from the options', () => {
    vi.stubEnv('RDSPROXY_STACK', 'orders');
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://127.0.0.1:5000');

    expect(givenGlobalOptions({})).toMatchObject({ stack: 'orders', endpoint: 'http://127.0.0.1:5000' });
    expect(givenGlobalOptions({ name: 'billing', endpointUrl: 'https://vpce.example' })).toMatchObject({
      stack: 'billing',
      endpoint: 'https://vpce.example',
    });
  });

  it('refuses a --region that is not a region name', () => {
    expect(refusal(() => givenGlobalOptions({ region: 'moon' }))).toBe(
      '--region "moon" is not an AWS region name such as eu-west-1.',
    );
  });

  it('refuses an endpoint that is not an http(s) URL', () => {
    expect(refusal(() => givenGlobalOptions({ endpointUrl: 'ftp://host' }))).toBe('--endpoint-url "ftp://host" is not an http(s) URL.');
  });

  it('refuses an invalid stack name before anything else', () => {
    expect(refusal(() => givenGlobalOptions({ name: 'Orders', region: 'moon' }))).toContain('--name "Orders" is not a valid stack name');
  });
});

describe('withRegion', () => {
  it('adds the resolved region to the given options', () => {
    expect(withRegion(givenGlobalOptions({ profile: 'orders' }), 'eu-west-1')).toMatchObject({
      stack: 'demo',
      profile: 'orders',
      region: 'eu-west-1',
    });
  });

  it('refuses to go on without a region, saying where to set one', () => {
    expect(refusal(() => withRegion(givenGlobalOptions({}), undefined))).toBe(
      'No AWS region: pass --region, set AWS_REGION, or set region in your AWS profile.',
    );
  });

  it('refuses a region from the environment or a profile that is not a region name', () => {
    expect(refusal(() => withRegion(givenGlobalOptions({}), 'Europe'))).toBe(
      '--region "Europe" is not an AWS region name such as eu-west-1.',
    );
  });

  it('refuses a stack name starting "sg-", naming --name and the security group name EC2 would refuse', () => {
    const message = refusal(() => withRegion(givenGlobalOptions({ name: 'sg-orders' }), 'eu-west-1'));

    expect(message).toContain('--name "sg-orders" would name the security group "sg-orders-proxy-sg"');
    expect(message).toContain('not starting with "sg-"');
  });
});
