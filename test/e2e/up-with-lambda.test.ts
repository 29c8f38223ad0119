import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeDBProxiesCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand, type GetFunctionCommandOutput, LambdaClient, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UP_DEFAULTS } from '../../src/config/defaults.js';
import { runCli } from './support/cli.js';
import { createFunction, createRole } from './support/client-fixtures.js';
import { useFaultProxy } from './support/fault-proxy.js';
import { CLIENT_ZIP } from './support/lambda-runtime.js';
import { useSandbox } from './support/sandbox.js';
import { useStandInDatabase } from './support/stand-in-database.js';
import { createTestCa } from '../../scripts/test-ca.mjs';

const STACK = 'shop';
const FUNCTION = `${STACK}-client`;
const ROLE = `${STACK}-client-us-east-1`;

/** The AWS writes of a run but the stack's lease (an SSM parameter the run takes only when it writes). */
const stackWrites = (operations: { operation: string }[]) =>
  operations.map((c) => c.operation).filter((op) => !['PutParameter', 'DeleteParameter'].includes(op));

describe('up --with-lambda, connect --from-lambda and teardown of the stack\'s function', () => {
  const work = mkdtempSync(join(tmpdir(), 'rdsproxy-with-lambda-'));
  const ca = createTestCa(work);
  // The functions the sandbox runs trust the test CA, as Lambda's image trusts Amazon's roots.
  const sandbox = useSandbox({ resetEachTest: false, env: { SANDBOX_LAMBDA_EXTRA_CA_CERTS: ca.certFile } });
  const proxy = useFaultProxy(sandbox);
  const cli = (...args: string[]) => runCli(args, proxy.env);
  const lambda = () => new LambdaClient(sandbox.clientConfig);
  const database = useStandInDatabase();

  /** The test PostgreSQL standing in for the proxy: its certificate names the proxy's endpoint. */
  async function proxyServer(tls = true): Promise<{ endpoint: string; port: number }> {
    const rds = new RDSClient(sandbox.clientConfig);
    const endpoint = (await rds.send(new DescribeDBProxiesCommand({ DBProxyName: `${STACK}-proxy` }))).DBProxies![0]!.Endpoint!;
    const server = await database.start(tls ? { tls: ca.issue(endpoint), ldapPort: database.ldap.port } : { tls: false });
    return { endpoint, port: server.port };
  }

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it("creates the stack's function in the proxy's subnets, run by its own role, with the proxy as its PGHOST", async () => {
    const up = await cli('up', '--name', STACK, '--with-lambda', '--yes');

    expect(up.code, up.stderr).toBe(0);
    const fn = await lambda().send(new GetFunctionCommand({ FunctionName: FUNCTION }));
    const rds = new RDSClient(sandbox.clientConfig);
    const stackProxy = (await rds.send(new DescribeDBProxiesCommand({ DBProxyName: `${STACK}-proxy` }))).DBProxies![0]!;
    expect(fn.Configuration?.Role).toMatch(new RegExp(`:role/${ROLE}$`));
    expect(fn.Configuration?.Environment?.Variables?.PGHOST).toBe(stackProxy.Endpoint);
    expect([...(fn.Configuration?.VpcConfig?.SubnetIds ?? [])].sort()).toEqual([...stackProxy.VpcSubnetIds!].sort());
    expect(fn.Tags?.['rdsproxy-setup:stack']).toBe(STACK);
    // Its role holds the network-interface permissions itself: grant attaches no managed policy.
    expect((await new IAMClient(sandbox.clientConfig).send(new ListAttachedRolePoliciesCommand({ RoleName: ROLE }))).AttachedPolicies).toEqual([]);
    expect(up.stdout).toContain(`rdsproxy-setup connect --name ${STACK} --from-lambda`);
  });

  it('makes no write when run again', async () => {
    const again = await cli('up', '--name', STACK, '--with-lambda', '--yes');

    expect(again.code, again.stderr).toBe(0);
    expect(proxy.writes().map((c) => c.operation)).toEqual([]);
  });

  it('deploys a changed bundle with exactly one code update', async () => {
    const files = unzipSync(readFileSync(CLIENT_ZIP));
    const older = zipSync({ 'index.js': new Uint8Array([...files['index.js']!, ...strToU8('\n// an older CLI\n')]) });
    await lambda().send(new UpdateFunctionCodeCommand({ FunctionName: FUNCTION, ZipFile: older }));
    await waitUntilFunctionUpdatedV2({ client: lambda(), maxWaitTime: 30 }, { FunctionName: FUNCTION });
    proxy.clear();

    const up = await cli('up', '--name', STACK, '--with-lambda', '--yes');

    expect(up.code, up.stderr).toBe(0);
    expect(stackWrites(proxy.writes())).toEqual(['UpdateFunctionCode']);
    const deployed = await lambda().send(new GetFunctionCommand({ FunctionName: FUNCTION }));
    expect(deployed.Configuration?.CodeSha256).toBe(Buffer.from(await crypto.subtle.digest('SHA-256', readFileSync(CLIENT_ZIP))).toString('base64'));
  });

  it('lists the function and its role in status', async () => {
    const status = await cli('status', '--name', STACK, '--json');

    expect(status.code, status.stderr).toBe(0);
    const document = JSON.parse(status.stdout) as { resources: { step: string; id: string }[]; clients: { kind: string; name: string }[] };
    expect(document.resources.filter((r) => r.step.startsWith('client-')).map(({ step, id }) => ({ step, id }))).toEqual([
      { step: 'client-role', id: ROLE },
      { step: 'client-function', id: FUNCTION },
    ]);
    expect(document.clients.map(({ kind, name }) => ({ kind, name }))).toEqual([{ kind: 'lambda', name: FUNCTION }]);
  });

  it('runs the query in the function over TLS with an IAM token for the proxy host, and prints its rows and the three timings', async () => {
    const { endpoint, port } = await proxyServer();

    const result = await cli('connect', '--name', STACK, '--from-lambda', '--via', `127.0.0.1:${port}`);

    expect(result.code, result.stderr).toBe(0);
    const [header, , row] = result.stdout.split('\n').map((line) => line.split(' | ').map((c) => c.trim()));
    expect(header).toEqual(['user', 'database', 'server_version', 'ssl', 'server_time']);
    expect(row?.slice(0, 2)).toEqual([UP_DEFAULTS.masterUser, UP_DEFAULTS.dbName]);
    expect(result.stdout).toMatch(new RegExp(`Measured inside Lambda function ${FUNCTION}: sign [\\d.]+ ms, connect [\\d.]+ ms, query [\\d.]+ ms`));
    // The token the function signed is for the proxy host and port, and went to the server as the password.
    expect(new URL(`https://${database.ldap.binds.at(-1)!.password}`).host).toBe(`${endpoint}:5432`);
  });

  it('gives the same rows and timings with --json', async () => {
    const { port } = await proxyServer();

    const result = await cli('connect', '--name', STACK, '--from-lambda', '--via', `127.0.0.1:${port}`, '--command', 'select 41 + 1 as answer', '--json');

    expect(result.code, result.stderr).toBe(0);
    const document = JSON.parse(result.stdout) as { function: string; columns: string[]; rows: unknown[]; timings: Record<string, number> };
    expect(document.function).toBe(FUNCTION);
    expect(document.columns).toEqual(['answer']);
    expect(document.rows).toEqual([{ answer: 42 }]);
    expect(Object.keys(document.timings).sort()).toEqual(['connectMs', 'queryMs', 'signMs']);
  });

  it('names the doctor checks that explain a server without TLS, and the doctor command to run', async () => {
    const { port } = await proxyServer(false);

    const result = await cli('connect', '--name', STACK, '--from-lambda', '--via', `127.0.0.1:${port}`);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Lambda function ${FUNCTION} could not open a session with`);
    expect(result.stderr).toMatch(/doctor checks? [a-z.-]+/);
    expect(result.stderr).toContain(`rdsproxy-setup doctor --proxy ${STACK}-proxy --lambda ${FUNCTION}`);
  });

  it("waits out the function's own connect timeout on a path that never answers, invoking it once, and names the checks that explain it", async () => {
    // A security group that drops the function's packets: TCP is accepted nowhere and nothing answers.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const invokesBefore = proxy.calls().filter((c) => c.operation === 'Invoke').length;

    const result = await cli('connect', '--name', STACK, '--from-lambda', '--via', `127.0.0.1:${port}`);
    silent.close();

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Lambda function ${FUNCTION} could not open a session with`);
    expect(result.stderr).toContain('(ConnectTimeout)');
    expect(result.stderr).toContain('sg.client-to-proxy');
    expect(proxy.calls().filter((c) => c.operation === 'Invoke').length - invokesBefore).toBe(1);
  });

  it("reports an invocation that hits the function's own timeout as such", async () => {
    // The handler gives up on a slow proxy by itself; a function that never answers (blocked in
    // its start, say) is stopped by Lambda at its Timeout.
    const hanging = zipSync({ 'index.js': strToU8('exports.handler = () => new Promise(() => setInterval(() => {}, 1000));') });
    await lambda().send(new UpdateFunctionCodeCommand({ FunctionName: FUNCTION, ZipFile: hanging }));
    await waitUntilFunctionUpdatedV2({ client: lambda(), maxWaitTime: 30 }, { FunctionName: FUNCTION });
    await lambda().send(new UpdateFunctionConfigurationCommand({ FunctionName: FUNCTION, Timeout: 1 }));
    await waitUntilFunctionUpdatedV2({ client: lambda(), maxWaitTime: 30 }, { FunctionName: FUNCTION });

    const result = await cli('connect', '--name', STACK, '--from-lambda');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Lambda function ${FUNCTION} timed out after 1 s, its own timeout, before it answered.`);
  });

  it('leaves no function, role or log group of the stack after teardown', async () => {
    const teardown = await cli('teardown', '--name', STACK, '--yes', '--skip-final-snapshot', '--force-delete-secret');

    expect(teardown.code, teardown.stderr).toBe(0);
    await expect(lambda().send(new GetFunctionCommand({ FunctionName: FUNCTION }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(new IAMClient(sandbox.clientConfig).send(new GetRoleCommand({ RoleName: ROLE }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    const groups = await new CloudWatchLogsClient(sandbox.clientConfig).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: `/aws/lambda/${FUNCTION}` }));
    expect(groups.logGroups ?? []).toEqual([]);
  });

  it('creates and grants the function when connect --from-lambda finds the stack without one, saying so', async () => {
    expect((await cli('up', '--name', STACK, '--yes')).code).toBe(0);
    const { port } = await proxyServer();

    const result = await cli('connect', '--name', STACK, '--from-lambda', '--via', `127.0.0.1:${port}`);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Stack ${STACK} has no function ${FUNCTION}: creating it and granting it access`);
    const fn = await lambda().send(new GetFunctionCommand({ FunctionName: FUNCTION }));
    expect(fn.Tags?.['rdsproxy-setup:stack']).toBe(STACK);
  });
});

describe("a function with the stack's function name that is not the stack's", () => {
  const sandbox = useSandbox({ resetEachTest: false });
  const proxy = useFaultProxy(sandbox);
  const cli = (...args: string[]) => runCli(args, proxy.env);
  const lambda = () => new LambdaClient(sandbox.clientConfig);
  let before: GetFunctionCommandOutput;

  beforeAll(async () => {
    expect((await runCli(['up', '--name', STACK, '--yes'], sandbox.env)).code).toBe(0);
    await createFunction(sandbox, FUNCTION, { roleArn: await createRole(sandbox, 'someone-elses-role'), environment: { OWNER: 'billing' } });
    before = await lambda().send(new GetFunctionCommand({ FunctionName: FUNCTION }));
  });

  const unchanged = async () => {
    const after = await lambda().send(new GetFunctionCommand({ FunctionName: FUNCTION }));
    expect(after.Configuration?.CodeSha256).toBe(before.Configuration?.CodeSha256);
    expect(after.Configuration?.Environment).toEqual(before.Configuration?.Environment);
    expect(after.Tags).toEqual(before.Tags);
  };

  it('is refused by up --with-lambda before any write, and left as it was', async () => {
    const up = await cli('up', '--name', STACK, '--with-lambda', '--yes');

    expect(up.code).toBe(1);
    expect(up.stderr).toContain(`Lambda function ${FUNCTION}`);
    expect(up.stderr).toContain('rdsproxy-setup:stack');
    expect(proxy.writes().map((c) => c.operation)).toEqual([]);
    await unchanged();
  });

  it('is refused by connect --from-lambda, never invoked, and left as it was', async () => {
    const connect = await cli('connect', '--name', STACK, '--from-lambda');

    expect(connect.code).toBe(1);
    expect(connect.stderr).toContain(`Lambda function ${FUNCTION}`);
    expect(proxy.writes().map((c) => c.operation)).toEqual([]);
    await unchanged();
  });

  it('stops connect --from-lambda on a stack without a proxy, suggesting up, with nothing written', async () => {
    const connect = await cli('connect', '--name', 'never-made', '--from-lambda');

    expect(connect.code).toBe(1);
    expect(connect.stderr).toContain('Error: RDS proxy never-made-proxy was not found in us-east-1.');
    expect(connect.stderr).toContain('rdsproxy-setup up --name never-made');
    expect(proxy.writes().map((c) => c.operation)).toEqual([]);
  });

  it('is refused by teardown, which deletes nothing, and left as it was', async () => {
    const teardown = await cli('teardown', '--name', STACK, '--yes');

    expect(teardown.code).toBe(1);
    expect(teardown.stderr).toContain(`Lambda function ${FUNCTION}`);
    expect(proxy.writes().map((c) => c.operation)).toEqual([]);
    await unchanged();
  });
});
