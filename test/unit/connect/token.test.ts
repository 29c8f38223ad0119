import { createHash, createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { signAuthToken } from '../../../src/connect/token.js';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const HOST = 'orders-proxy.proxy-abc123xyz.eu-west-1.rds.amazonaws.com';
const NOW = new Date('2026-03-04T05:06:07Z');

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();
/** RFC 3986 encoding, as SigV4 wants it. */
const encode = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** SigV4 for a presigned GET of "/" with only the host header signed, written from the spec. */
function expectedSignature(params: URLSearchParams, host: string): string {
  const query = [...params.entries()]
    .filter(([key]) => key !== 'X-Amz-Signature')
    .map(([key, value]) => [encode(key), encode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const canonicalRequest = ['GET', '/', query, `host:${host}`, '', 'host', sha256('')].join('\n');
  const [, date, region, service] = params.get('X-Amz-Credential')!.split('/');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', params.get('X-Amz-Date'), scope, sha256(canonicalRequest)].join('\n');
  let key = hmac(`AWS4${CREDENTIALS.secretAccessKey}`, date!);
  for (const part of [region!, service!, 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

describe('the IAM auth token', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const sign = () =>
    signAuthToken({ host: HOST, port: 5432, user: 'app_user', region: 'eu-west-1', credentials: CREDENTIALS });

  it('is a presigned connect request for the proxy host and port 5432, with the user, region and 15 minutes', async () => {
    const token = await sign();

    expect(token.startsWith(`${HOST}:5432/?`)).toBe(true);
    const params = new URL(`https://${token}`).searchParams;
    expect(params.get('Action')).toBe('connect');
    expect(params.get('DBUser')).toBe('app_user');
    expect(params.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(params.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20260304/eu-west-1/rds-db/aws4_request');
    expect(params.get('X-Amz-Date')).toBe('20260304T050607Z');
    expect(params.get('X-Amz-Expires')).toBe('900');
    expect(params.get('X-Amz-SignedHeaders')).toBe('host');
  });

  it('carries a signature that verifies when recomputed with the same credentials and time', async () => {
    const token = await sign();

    const params = new URL(`https://${token}`).searchParams;
    expect(params.get('X-Amz-Signature')).toBe(expectedSignature(params, `${HOST}:5432`));
  });

  it('has a signature that no longer verifies for another host', async () => {
    const token = await sign();

    const params = new URL(`https://${token}`).searchParams;
    expect(params.get('X-Amz-Signature')).not.toBe(expectedSignature(params, `other.${HOST}:5432`));
  });

  it('includes the session token of temporary credentials', async () => {
    const token = await signAuthToken({
      host: HOST,
      port: 5432,
      user: 'app_user',
      region: 'eu-west-1',
      credentials: { ...CREDENTIALS, sessionToken: 'FwoGZXIvYXdzEXAMPLE' },
    });

    expect(new URL(`https://${token}`).searchParams.get('X-Amz-Security-Token')).toBe('FwoGZXIvYXdzEXAMPLE');
  });
});
