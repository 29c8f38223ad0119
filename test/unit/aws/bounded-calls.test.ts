import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { DescribeDBProxiesCommand } from '@aws-sdk/client-rds';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAwsClients } from '../../../src/aws/clients.js';
import { wrapAwsError } from '../../../src/aws/errors.js';
import { AWS_CALL_TIMING, awsCallBoundMs, type AwsCallTiming } from '../../../src/config/timing.js';
import { InterruptedError } from '../../../src/errors.js';
import { scriptedEndpoint, useStaticCredentials, type ScriptedEndpoint } from '../support/scripted-endpoint.js';

/** A port nothing listens on: taken, then released. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const NO_PROXIES = {
  status: 200,
  body:
    '<DescribeDBProxiesResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/">' +
    '<DescribeDBProxiesResult><DBProxies/></DescribeDBProxiesResult>' +
    '<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeDBProxiesResponse>',
};

const THROTTLED = {
  status: 400,
  body: '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>2</RequestId></ErrorResponse>',
};

/** Short timeouts, so a call that never gets an answer ends in about a second. */
const SHORT: AwsCallTiming = { connectMs: 200, answerMs: 300, maxAttempts: 3 };

let server: ScriptedEndpoint | undefined;

useStaticCredentials();

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const describeProxies = async (clients: ReturnType<typeof createAwsClients>) =>
  (await clients.rds()).send(new DescribeDBProxiesCommand({}));

describe('the bound on every AWS call', () => {
  it('keeps one call that never gets an answer, every retry included, well under a minute', () => {
    expect(awsCallBoundMs()).toBeLessThan(45_000);
    expect(awsCallBoundMs()).toBeGreaterThanOrEqual(AWS_CALL_TIMING.maxAttempts * AWS_CALL_TIMING.answerMs);
  });

  it('gives up on an endpoint that accepts the connection and never answers, after each attempt timed out', async () => {
    server = await scriptedEndpoint(() => 'hang');
    const clients = createAwsClients({ region: 'us-east-1', endpoint: server.url, callTiming: SHORT });
    const started = Date.now();

    const failure = await describeProxies(clients).catch((e: unknown) => e);

    const elapsed = Date.now() - started;
    expect(server.seen).toHaveLength(SHORT.maxAttempts);
    expect(elapsed).toBeGreaterThanOrEqual(SHORT.maxAttempts * SHORT.answerMs - 50);
    expect(elapsed).toBeLessThan(awsCallBoundMs(SHORT) + 1_000);
    const error = wrapAwsError('reading RDS proxies', failure);
    expect(error.code).toBe('EndpointTimeout');
    expect(error.message).toBe(`reading RDS proxies: timed out: the AWS endpoint ${server.url} did not answer (no answer within 0.3s, 3 attempts)`);
    expect(error.hint).toContain(server.url);
    expect(error.hint).not.toMatch(/aws configure|get-caller-identity/);
  });

  it('names the endpoint that refuses connections, not the credentials', async () => {
    const url = await closedPort();
    const clients = createAwsClients({ region: 'us-east-1', endpoint: url, callTiming: SHORT });

    const failure = await describeProxies(clients).catch((e: unknown) => e);

    const error = wrapAwsError('reading RDS proxies', failure);
    expect(error.code).toBe('EndpointUnreachable');
    expect(error.message).toBe(`reading RDS proxies: cannot reach the AWS endpoint ${url} (connection refused, 3 attempts)`);
  });
});

describe('abortCallsInFlight', () => {
  it('ends a call that hangs at once with an interruption and closes its connection; a call started afterwards is answered', async () => {
    server = await scriptedEndpoint((_request, index) => (index === 0 ? 'hang' : NO_PROXIES));
    const clients = createAwsClients({ region: 'us-east-1', endpoint: server.url });
    const hanging = describeProxies(clients).catch((e: unknown) => e);
    await vi.waitFor(() => expect(server!.seen).toHaveLength(1));
    const started = Date.now();

    const abandoned = clients.abortCallsInFlight();
    const failure = await hanging;
    await vi.waitFor(() => expect(server!.openConnections()).toBe(0));
    const later = await describeProxies(clients);

    expect(abandoned).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(failure).toBeInstanceOf(InterruptedError);
    expect(later.DBProxies ?? []).toEqual([]);
    expect(server.seen).toHaveLength(2);
  });

  it('sends no further attempt of a call abandoned while the SDK waits to retry it', async () => {
    server = await scriptedEndpoint(() => THROTTLED);
    const clients = createAwsClients({ region: 'us-east-1', endpoint: server.url });
    const throttled = describeProxies(clients).catch((e: unknown) => e);
    await vi.waitFor(() => expect(server!.seen).toHaveLength(1));

    clients.abortCallsInFlight();
    const failure = await throttled;
    // The SDK backs off at least a second after throttling; give a retry the time to show up.
    await new Promise((r) => setTimeout(r, 2_500));

    expect(failure).toBeInstanceOf(InterruptedError);
    expect(server.seen).toHaveLength(1);
  });

  it('abandons calls on every client of the factory, and reports none when none is under way', async () => {
    server = await scriptedEndpoint(() => 'hang');
    const clients = createAwsClients({ region: 'us-east-1', endpoint: server.url });
    expect(clients.abortCallsInFlight()).toBe(0);
    const rds = describeProxies(clients).catch((e: unknown) => e);
    const { DescribeSecurityGroupsCommand } = await import('@aws-sdk/client-ec2');
    const ec2 = (await clients.ec2()).send(new DescribeSecurityGroupsCommand({})).catch((e: unknown) => e);
    await vi.waitFor(() => expect(server!.seen).toHaveLength(2));

    expect(clients.abortCallsInFlight()).toBe(2);

    await expect(rds).resolves.toBeInstanceOf(InterruptedError);
    await expect(ec2).resolves.toBeInstanceOf(InterruptedError);
  });
});

describe("a caller's own abort signal", () => {
  it('still aborts its call, as an abort and not as an interruption of the run', async () => {
    server = await scriptedEndpoint(() => 'hang');
    const clients = createAwsClients({ region: 'us-east-1', endpoint: server.url });
    const own = new AbortController();
    const call = (await clients.rds()).send(new DescribeDBProxiesCommand({}), { abortSignal: own.signal }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(server!.seen).toHaveLength(1));

    own.abort();
    const failure = await call;

    expect(failure).toMatchObject({ name: 'AbortError' });
    expect(failure).not.toBeInstanceOf(InterruptedError);
    expect(server.seen).toHaveLength(1);
  });
});

describe('abortCallsInFlight with a grace period', () => {
  it('lets a call that answers within the grace finish, abandons one still unanswered after it, and spares calls started meanwhile', async () => {
    server = await scriptedEndpoint((_request, index) => (index === 0 ? { ...NO_PROXIES, delayMs: 150 } : index === 1 ? 'hang' : NO_PROXIES));
    const clients = createAwsClients({ region: 'us-east-1', endpoint: server.url });
    const slow = describeProxies(clients).catch((e: unknown) => e);
    await vi.waitFor(() => expect(server!.seen).toHaveLength(1));
    const hanging = describeProxies(clients).catch((e: unknown) => e);
    await vi.waitFor(() => expect(server!.seen).toHaveLength(2));
    const started = Date.now();

    expect(clients.abortCallsInFlight(400)).toBe(2);
    const meanwhile = await describeProxies(clients);
    const answeredInGrace = await slow;
    const abandoned = await hanging;

    expect(meanwhile.DBProxies ?? []).toEqual([]);
    expect(answeredInGrace).toMatchObject({ DBProxies: [] });
    expect(abandoned).toBeInstanceOf(InterruptedError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });
});

describe("the Invoke of the stack's function", () => {
  const invoke = async (clients: ReturnType<typeof createAwsClients>) =>
    (await clients.lambdaInvoke()).send(new InvokeCommand({ FunctionName: 'demo-client', Payload: Buffer.from('{}') }));

  it("waits for an answer longer than an ordinary call would, since Lambda answers only when the function is done", async () => {
    server = await scriptedEndpoint(() => ({ status: 200, body: '{"ok":true}', type: 'application/json', delayMs: 1_000 }));
    const clients = createAwsClients({ region: 'us-east-1', endpoint: server.url, callTiming: SHORT });

    const answer = await invoke(clients);

    expect(Buffer.from(answer.Payload!).toString('utf8')).toBe('{"ok":true}');
    expect(server.seen).toHaveLength(1);
  });

  it('is sent once, not retried after a server error, since the function may have run', async () => {
    server = await scriptedEndpoint(() => ({ status: 500, body: '{"message":"internal"}', type: 'application/json' }));
    const clients = createAwsClients({ region: 'us-east-1', endpoint: server.url, callTiming: SHORT });

    await invoke(clients).catch((e: unknown) => e);

    expect(server.seen).toHaveLength(1);
  });
});
