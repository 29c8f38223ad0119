import { DescribeLogGroupsCommand, CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../support/sandbox.js';

// https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
// https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html

const payloadOf = (answer: InvokeCommandOutput) => JSON.parse(Buffer.from(answer.Payload!).toString('utf8')) as Record<string, unknown>;

describe("Invoke of a Node.js function, run by the sandbox with the local Node", () => {
  const sandbox = useSandbox();

  async function createFunction(name: string, files: Record<string, string>, options: { handler?: string; timeout?: number; variables?: Record<string, string> } = {}) {
    const role = await new IAMClient(sandbox.clientConfig).send(
      new CreateRoleCommand({
        RoleName: `${name}-role`,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    const zip = zipSync(Object.fromEntries(Object.entries(files).map(([file, text]) => [file, strToU8(text)])));
    await new LambdaClient(sandbox.clientConfig).send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs22.x',
        Role: role.Role!.Arn!,
        Handler: options.handler ?? 'index.handler',
        Code: { ZipFile: zip },
        Timeout: options.timeout,
        Environment: options.variables ? { Variables: options.variables } : undefined,
      }),
    );
  }

  const invoke = (name: string, event: unknown, logType?: 'Tail') =>
    new LambdaClient(sandbox.clientConfig).send(
      new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), LogType: logType }),
    );

  it("answers with the handler's result, given the event, a context and the function's environment", async () => {
    await createFunction(
      'echo',
      {
        'index.js':
          'exports.handler = async (event, context) => ({ event, name: context.functionName, ' +
          'leftMs: context.getRemainingTimeInMillis(), greeting: process.env.GREETING, region: process.env.AWS_REGION });',
      },
      { variables: { GREETING: 'hello' }, timeout: 7 },
    );

    const answer = await invoke('echo', { order: 42 });

    expect(answer.StatusCode).toBe(200);
    expect(answer.FunctionError).toBeUndefined();
    const payload = payloadOf(answer);
    expect(payload).toMatchObject({ event: { order: 42 }, name: 'echo', greeting: 'hello', region: sandbox.env.AWS_REGION });
    expect(payload.leftMs).toBeGreaterThan(5_000);
    expect(payload.leftMs).toBeLessThanOrEqual(7_000);
  });

  it('runs an ES module handler (index.mjs) and a callback handler', async () => {
    await createFunction('modern', { 'index.mjs': 'export const handler = async (event) => ({ doubled: event.n * 2 });' });
    await createFunction('classic', { 'app.js': 'exports.main = (event, context, callback) => callback(null, { tripled: event.n * 3 });' }, { handler: 'app.main' });

    expect(payloadOf(await invoke('modern', { n: 21 }))).toEqual({ doubled: 42 });
    expect(payloadOf(await invoke('classic', { n: 14 }))).toEqual({ tripled: 42 });
  });

  it("signs as the function's execution role, not as the caller", async () => {
    await createFunction('whoami', {
      'index.js': 'exports.handler = async () => ({ key: process.env.AWS_ACCESS_KEY_ID, session: Boolean(process.env.AWS_SESSION_TOKEN) });',
    });

    const payload = payloadOf(await invoke('whoami', {}));

    expect(payload.key).toMatch(/^ASIA/);
    expect(payload.key).not.toBe(sandbox.env.AWS_ACCESS_KEY_ID);
    expect(payload.session).toBe(true);
  });

  it('reports a thrown error as Lambda does: FunctionError Unhandled with its type, message and trace', async () => {
    await createFunction('broken', { 'index.js': "exports.handler = async () => { throw new TypeError('no orders table'); };" });

    const answer = await invoke('broken', {});

    expect(answer.StatusCode).toBe(200);
    expect(answer.FunctionError).toBe('Unhandled');
    const payload = payloadOf(answer);
    expect(payload).toMatchObject({ errorType: 'TypeError', errorMessage: 'no orders table' });
    expect(payload.trace).toEqual(expect.arrayContaining([expect.stringContaining('TypeError: no orders table')]));
  });

  it("reports a handler the Handler setting does not name as Lambda's Runtime.HandlerNotFound", async () => {
    await createFunction('misnamed', { 'index.js': 'exports.main = async () => 1;' });

    const answer = await invoke('misnamed', {});

    expect(answer.FunctionError).toBe('Unhandled');
    expect(payloadOf(answer)).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handler is undefined or not exported' });
  });

  it("stops a handler at the function's timeout and says so as Lambda does", async () => {
    await createFunction('stuck', { 'index.js': 'exports.handler = () => new Promise(() => setInterval(() => {}, 1000));' }, { timeout: 1 });
    const started = Date.now();

    const answer = await invoke('stuck', {});

    expect(answer.FunctionError).toBe('Unhandled');
    const payload = payloadOf(answer);
    expect(payload.errorType).toBe('Sandbox.Timedout');
    expect(payload.errorMessage).toMatch(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("returns the tail of the handler's log with LogType Tail, and keeps the log in /aws/lambda/<name>", async () => {
    await createFunction('chatty', { 'index.js': "exports.handler = async () => { console.log('looking up orders'); return 'done'; };" });

    const answer = await invoke('chatty', {}, 'Tail');

    expect(JSON.parse(Buffer.from(answer.Payload!).toString('utf8'))).toBe('done');
    expect(Buffer.from(answer.LogResult!, 'base64').toString('utf8')).toContain('looking up orders');
    const groups = await new CloudWatchLogsClient(sandbox.clientConfig).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/chatty' }));
    expect(groups.logGroups?.map((g) => g.logGroupName)).toEqual(['/aws/lambda/chatty']);
  });
});
