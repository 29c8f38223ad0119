import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../src/lambda/handler.js';

const HOST = 'orders-proxy.proxy-abc123xyz.eu-west-1.rds.amazonaws.com';
const ENV = { PGHOST: HOST, PGPORT: '5432', PGUSER: 'appadmin', PGDATABASE: 'orders', AWS_REGION: 'eu-west-1' };
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEROLEKEY', AWS_SECRET_ACCESS_KEY: 'role-secret', AWS_SESSION_TOKEN: 'role-session' };

/** A loopback server that accepts connections and never says a word. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: () => new Promise((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = await silentServer();
  await server.close();
  return server.port;
}

const context = (remainingMs: number) => {
  const deadline = Date.now() + remainingMs;
  return { getRemainingTimeInMillis: () => deadline - Date.now() };
};

describe("the stack's function, invoked", () => {
  beforeEach(() => {
    for (const [name, value] of Object.entries({ ...ENV, ...CREDENTIALS })) vi.stubEnv(name, value);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('answers a refused connection as a typed failure with the doctor checks, the signing time and no token', async () => {
    const port = await closedPort();

    const answer = await handler({ dial: { address: '127.0.0.1', port } }, context(10_000));

    expect(answer).toMatchObject({
      ok: false,
      phase: 'connect',
      target: { host: HOST, port: 5432, user: 'appadmin', database: 'orders', region: 'eu-west-1' },
      error: { kind: 'ConnectRefused', code: 'ECONNREFUSED', checks: ['sg.client-to-proxy', 'client.same-vpc'] },
    });
    expect(answer.timings.signMs).toBeGreaterThanOrEqual(0);
    expect(answer.timings.connectMs).toBeUndefined();
    expect(JSON.stringify(answer)).not.toMatch(/X-Amz-Signature|Action=connect/);
  });

  it("gives up on a proxy that never answers before the invocation's own deadline, as a typed timeout", async () => {
    const server = await silentServer();
    try {
      const started = Date.now();

      const answer = await handler({ dial: { address: '127.0.0.1', port: server.port } }, context(1_600));

      expect(answer).toMatchObject({ ok: false, phase: 'connect', error: { kind: 'ConnectTimeout', checks: ['sg.client-to-proxy', 'client.same-vpc'] } });
      expect(Date.now() - started).toBeLessThan(1_600);
    } finally {
      await server.close();
    }
  });

  it('answers an event that says nowhere to connect as an invalid event, before signing anything', async () => {
    vi.stubEnv('PGHOST', '');

    const answer = await handler({}, context(10_000));

    expect(answer).toEqual({
      ok: false,
      phase: 'event',
      error: { kind: 'InvalidEvent', message: "No host (PGHOST): set it in the function's environment or the event.", checks: [] },
      timings: {},
    });
  });

  it('answers missing credentials as a failure to sign', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');

    const answer = await handler({}, context(10_000));

    expect(answer).toMatchObject({ ok: false, phase: 'sign', error: { kind: 'SignFailed', checks: [] } });
    expect(answer.ok === false && answer.error.message).toContain('No credentials in the environment');
  });
});
