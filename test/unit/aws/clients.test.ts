import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeDBProxiesCommand } from '@aws-sdk/client-rds';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAwsClients } from '../../../src/aws/clients.js';
import { deniedAction } from '../../../src/aws/errors.js';

interface SeenRequest {
  url: string;
  body: string;
}

/** A loopback AWS endpoint: records each request and answers with the next scripted reply. */
async function fakeAws(reply: (request: SeenRequest, index: number) => { status: number; type: string; body: string }) {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') };
      seen.push(request);
      const answer = reply(request, seen.length - 1);
      res.writeHead(answer.status, { 'content-type': answer.type });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const THROTTLED = {
  status: 400,
  type: 'text/xml',
  body: '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>1</RequestId></ErrorResponse>',
};

const NO_PROXIES = {
  status: 200,
  type: 'text/xml',
  body:
    '<DescribeDBProxiesResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/">' +
    '<DescribeDBProxiesResult><DBProxies/></DescribeDBProxiesResult>' +
    '<ResponseMetadata><RequestId>2</RequestId></ResponseMetadata></DescribeDBProxiesResponse>',
};

/** An EC2-style refusal whose message does not name the action. */
const REFUSED = {
  status: 403,
  type: 'text/xml',
  body: '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>Access denied</Message></Error><RequestId>3</RequestId></ErrorResponse>',
};

let server: Awaited<ReturnType<typeof fakeAws>> | undefined;

beforeEach(() => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAEXAMPLEUNITTEST');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'unit-test-secret-key');
  vi.stubEnv('AWS_SESSION_TOKEN', undefined);
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_ENDPOINT_URL', undefined);
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await server?.close();
  server = undefined;
});

describe('createAwsClients', () => {
  it('retries a throttled call until AWS answers', { timeout: 20_000 }, async () => {
    server = await fakeAws((_request, index) => (index < 2 ? THROTTLED : NO_PROXIES));
    const clients = createAwsClients({ region: 'us-east-1', endpoint: server.endpoint });

    const rds = await clients.rds();
    const answer = await rds.send(new DescribeDBProxiesCommand({}));

    expect(answer.DBProxies ?? []).toEqual([]);
    expect(server.seen).toHaveLength(3);
    for (const request of server.seen) expect(request.body).toContain('Action=DescribeDBProxies');
  });

  it('makes each client once and hands out the same instance on every later call', async () => {
    const clients = createAwsClients({ region: 'us-east-1' });

    const [first, concurrent] = await Promise.all([clients.rds(), clients.rds()]);
    const later = await clients.rds();

    expect(concurrent).toBe(first);
    expect(later).toBe(first);
  });

  it('makes a separate client for each service', async () => {
    const clients = createAwsClients({ region: 'us-east-1' });

    const rds = await clients.rds();
    const ec2 = await clients.ec2();

    expect(ec2).not.toBe(rds);
    expect(ec2.constructor.name).toBe('EC2Client');
    expect(rds.constructor.name).toBe('RDSClient');
  });

  it('configures each client for the requested region', async () => {
    const clients = createAwsClients({ region: 'eu-west-3' });

    const sts = await clients.sts();

    await expect(sts.config.region()).resolves.toBe('eu-west-3');
  });

  it('logs one line per AWS call naming the service and the operation', async () => {
    server = await fakeAws(() => NO_PROXIES);
    const lines: string[] = [];
    const clients = createAwsClients({ region: 'us-east-1', endpoint: server.endpoint, log: (l) => lines.push(l) });

    await (await clients.rds()).send(new DescribeDBProxiesCommand({ DBProxyName: 'demo-proxy' }));

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^aws rds\.DescribeDBProxies .*demo-proxy.*→ ok/);
  });

  it('logs a failed call with the AWS error name', { timeout: 20_000 }, async () => {
    server = await fakeAws(() => ({
      status: 404,
      type: 'text/xml',
      body: '<ErrorResponse><Error><Type>Sender</Type><Code>DBProxyNotFoundFault</Code><Message>DBProxy demo-proxy not found.</Message></Error><RequestId>3</RequestId></ErrorResponse>',
    }));
    const lines: string[] = [];
    const clients = createAwsClients({ region: 'us-east-1', endpoint: server.endpoint, log: (l) => lines.push(l) });

    const call = (await clients.rds()).send(new DescribeDBProxiesCommand({ DBProxyName: 'demo-proxy' }));

    await expect(call).rejects.toMatchObject({ name: 'DBProxyNotFoundFault' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^aws rds\.DescribeDBProxies .*→ DBProxyNotFoundFault/);
  });

  it('never writes the secret string into the call log', async () => {
    const password = 'Zq7-unit-test-p4ssw0rd-do-not-log';
    server = await fakeAws(() => ({
      status: 200,
      type: 'application/x-amz-json-1.1',
      body: JSON.stringify({
        ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rdsproxy-setup/demo/master-AbCdEf',
        Name: 'rdsproxy-setup/demo/master',
      }),
    }));
    const lines: string[] = [];
    const clients = createAwsClients({ region: 'us-east-1', endpoint: server.endpoint, log: (l) => lines.push(l) });

    await (await clients.secretsManager()).send(
      new CreateSecretCommand({
        Name: 'rdsproxy-setup/demo/master',
        SecretString: JSON.stringify({ username: 'postgres', password }),
      }),
    );

    expect(server.seen[0]?.body).toContain('p4ssw0rd');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^aws secretsmanager\.CreateSecret /);
    expect(lines[0]).toContain('rdsproxy-setup/demo/master');
    expect(lines[0]).not.toContain('p4ssw0rd');
  });

  it('notes the action of a call AWS refuses, so the error names the missing permission', async () => {
    server = await fakeAws(() => REFUSED);
    const rds = await createAwsClients({ region: 'us-east-1', endpoint: server.endpoint }).rds();

    const refusal = await rds.send(new DescribeDBProxiesCommand({})).catch((e: unknown) => e);

    expect(deniedAction(refusal)).toBe('rds:DescribeDBProxies');
  });

  it('logs nothing when no log function is given', async () => {
    server = await fakeAws(() => NO_PROXIES);
    const clients = createAwsClients({ region: 'us-east-1', endpoint: server.endpoint });
    const rds = await clients.rds();

    const names = rds.middlewareStack.identify();

    expect(names.some((n) => n.includes('rdsproxySetupCallLog'))).toBe(false);
  });
});
