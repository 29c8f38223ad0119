import { DBProxyNotFoundFault, DescribeDBProxiesCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { isNotFoundRead } from '../../../../src/doctor/read.js';
import { proxyReader, proxyUnread } from '../../../../src/doctor/readers/proxy.js';
import { healthySnapshot, PROXY_NAME, value } from '../healthy-snapshot.js';
import { scope } from './scope.js';

const rds = mockClient(RDSClient);
afterEach(() => rds.reset());

describe('reading the proxy', () => {
  it('asks for the proxy by name and gives it', async () => {
    const proxy = value<object>(healthySnapshot().proxy);
    rds.on(DescribeDBProxiesCommand, { DBProxyName: PROXY_NAME }).resolves({ DBProxies: [proxy] });
    expect(await proxyReader.read(scope(), {})).toEqual({ ok: true, value: proxy });
  });

  it('keeps AWS\'s DBProxyNotFoundFault as a read of a proxy that does not exist', async () => {
    rds.on(DescribeDBProxiesCommand).rejects(new DBProxyNotFoundFault({ message: `DBProxy ${PROXY_NAME} not found.`, $metadata: {} }));
    const proxy = await proxyReader.read(scope(), {});
    expect(isNotFoundRead(proxy)).toBe(true);
    expect(!proxy.ok && proxy.error).toBe(`reading RDS proxy ${PROXY_NAME}: DBProxy ${PROXY_NAME} not found. (DBProxyNotFoundFault)`);
  });

  it('takes an answer without the proxy as a proxy that does not exist', async () => {
    rds.on(DescribeDBProxiesCommand).resolves({ DBProxies: [] });
    const proxy = await proxyReader.read(scope(), {});
    expect(isNotFoundRead(proxy)).toBe(true);
    expect(!proxy.ok && proxy.error).toBe(`reading RDS proxy ${PROXY_NAME}: no RDS proxy named ${PROXY_NAME}`);
  });

  it('gives the reads that start from an unread proxy its error', () => {
    expect(proxyUnread({ ok: false, error: 'reading RDS proxy x: denied (AccessDenied)' })).toEqual({
      ok: false,
      error: 'the proxy could not be read: reading RDS proxy x: denied (AccessDenied)',
    });
  });
});
