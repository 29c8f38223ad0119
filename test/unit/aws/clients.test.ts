import { DescribeDBProxiesCommand } from '@aws-sdk/client-rds';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../../src/aws/clients.js';
import { deniedAction } from '../../../src/aws/errors.js';
import { scriptedEndpoint, useStaticCredentials, type ScriptedEndpoint } from '../support/scripted-endpoint.js';

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

let server: ScriptedEndpoint | undefined;

useStaticCredentials();

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('createAwsClients', () => {
  it('retries a throttled call until AWS answers', { timeout: 20_000 }, async () => {
    server = await scriptedEndpoint((_request, index) => (index < 2 ? THROTTLED : NO_PROXIES));
    const clients = createAwsClients({ region: 'us-east-1', endpoint: server.url });

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
    server = await scriptedEndpoint(() => NO_PROXIES);
    const lines: string[] = [];
    const clients = createAwsClients({ region: 'us-east-1', endpoint: server.url, log: (l) => lines.push(l) });

    await (await clients.rds()).send(new DescribeDBProxiesCommand({ DBProxyName: 'demo-proxy' }));

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^aws rds\.DescribeDBProxies .*demo-proxy.*→ ok/);
  });

  it('logs a failed call with the AWS error name', { timeout: 20_000 }, async () => {
    server = await scriptedEndpoint(() => ({
      status: 404,
      type: 'text/xml',
      body: '<ErrorResponse><Error><Type>Sender</Type><Code>DBProxyNotFoundFault</Code><Message>DBProxy demo-proxy not found.</Message></Error><RequestId>3</RequestId></ErrorResponse>',
    }));
    const lines: string[] = [];
    const clients = createAwsClients({ region: 'us-east-1', endpoint: server.url, log: (l) => lines.push(l) });

    const call = (await clients.rds()).send(new DescribeDBProxiesCommand({ DBProxyName: 'demo-proxy' }));

    await expect(call).rejects.toMatchObject({ name: 'DBProxyNotFoundFault' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^aws rds\.DescribeDBProxies .*→ DBProxyNotFoundFault/);
  });

  it('never writes the secret string into the call log', async () => {
    const password = 'Zq7-unit-test-p4ssw0rd-do-not-log';
    server = await scriptedEndpoint(() => ({
      status: 200,
      type: 'application/x-amz-json-1.1',
      body: JSON.stringify({
        ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rdsproxy-setup/demo/master-AbCdEf',
        Name: 'rdsproxy-setup/demo/master',
      }),
    }));
    const lines: string[] = [];
    const clients = createAwsClients({ region: 'us-east-1', endpoint: server.url, log: (l) => lines.push(l) });

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
    server = await scriptedEndpoint(() => REFUSED);
    const rds = await createAwsClients({ region: 'us-east-1', endpoint: server.url }).rds();

    const refusal = await rds.send(new DescribeDBProxiesCommand({})).catch((e: unknown) => e);

    expect(deniedAction(refusal)).toBe('rds:DescribeDBProxies');
  });

  it('logs nothing when no log function is given', async () => {
    server = await scriptedEndpoint(() => NO_PROXIES);
    const clients = createAwsClients({ region: 'us-east-1', endpoint: server.url });
    const rds = await clients.rds();

    const names = rds.middlewareStack.identify();

    expect(names.some((n) => n.includes('rdsproxySetupCallLog'))).toBe(false);
  });
});
