import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../../src/aws/clients.js';
import { CliError } from '../../../src/errors.js';
import type { ClientResult } from '../../../src/lambda/client-event.js';
import { invokeClientFunction } from '../../../src/lambda/invoke-client.js';

const lambda = mockClient(LambdaClient);
const HOST = 'orders-proxy.proxy-abc123xyz.eu-west-1.rds.amazonaws.com';
const TARGET = { host: HOST, port: 5432, user: 'appadmin', database: 'orders', region: 'eu-west-1' };
const INVOCATION = { functionName: 'orders-client', proxyName: 'orders-proxy', event: { sql: 'select 1 as one' } };
const DOCTOR = '`rdsproxy-setup doctor --proxy orders-proxy --lambda orders-client --user appadmin`';

const answering = (payload: unknown, functionError?: string) =>
  lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: Buffer.from(JSON.stringify(payload)) as never, FunctionError: functionError });

async function failureOf(): Promise<CliError> {
  const error = await invokeClientFunction(createAwsClients({ region: 'eu-west-1' }), INVOCATION).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

describe('invoking the client function (connect --from-lambda)', () => {
  beforeEach(() => lambda.reset());

  it('sends the event and returns the rows and the timings the function measured', async () => {
    const success: ClientResult = {
      ok: true,
      target: TARGET,
      columns: ['one'],
      rows: [{ one: 1 }],
      truncated: false,
      timings: { signMs: 2.1, connectMs: 48.3, queryMs: 1.2 },
    };
    answering(success);

    const answer = await invokeClientFunction(createAwsClients({ region: 'eu-west-1' }), INVOCATION);

    expect(answer).toEqual(success);
    const sent = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(sent.FunctionName).toBe('orders-client');
    expect(JSON.parse(Buffer.from(sent.Payload as Uint8Array).toString('utf8'))).toEqual({ sql: 'select 1 as one' });
  });

  it('names the doctor checks of a timeout from inside the VPC, and the doctor command with the function', async () => {
    answering({
      ok: false,
      phase: 'connect',
      target: TARGET,
      error: { kind: 'ConnectTimeout', message: 'Connection terminated due to connection timeout', checks: ['sg.client-to-proxy', 'client.same-vpc'] },
      timings: { signMs: 2 },
    });

    const error = await failureOf();

    expect(error.code).toBe('ConnectTimeout');
    expect(error.message).toBe(
      `Lambda function orders-client could not open a session with ${HOST}:5432 (ConnectTimeout): Connection terminated due to connection timeout`,
    );
    expect(error.hint).toBe(`Explained by doctor checks sg.client-to-proxy, client.same-vpc: run ${DOCTOR}.`);
  });

  it("explains the proxy's refusal of the token as connect does, with connect's error code", async () => {
    answering({
      ok: false,
      phase: 'connect',
      target: TARGET,
      error: { kind: 'IamAuthFailed', message: 'The IAM authentication failed for the role appadmin.', checks: [] },
      timings: { signMs: 2 },
    });

    const error = await failureOf();

    expect(error.code).toBe('ConnectRefused');
    expect(error.hint).toContain('This usually means the token was refused');
    expect(error.hint).toContain(`client.connect-permission, client.endpoint, client.user-matches: run ${DOCTOR}.`);
  });

  it('blames the SQL, not the path, when the query failed inside the VPC', async () => {
    answering({
      ok: false,
      phase: 'query',
      target: TARGET,
      error: { kind: 'QueryFailed', code: '42P01', message: 'relation "missing" does not exist', checks: [] },
      timings: { signMs: 2, connectMs: 40 },
    });

    const error = await failureOf();

    expect(error.code).toBe('QueryFailed');
    expect(error.message).toBe('The query failed in Lambda function orders-client: relation "missing" does not exist (SQLSTATE 42P01).');
  });

  it('points a function without the proxy in its environment at grant', async () => {
    answering({ ok: false, phase: 'event', error: { kind: 'InvalidEvent', message: "No host (PGHOST): set it in the function's environment or the event.", checks: [] }, timings: {} });

    const error = await failureOf();

    expect(error.code).toBe('FunctionMisconfigured');
    expect(error.hint).toContain('rdsproxy-setup grant --lambda orders-client');
  });

  it.each([
    ['current runtimes', { errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: 5b1c… Error: Task timed out after 30.00 seconds' }],
    ['older runtimes', { errorMessage: '2026-11-29T10:00:00.000Z 5b1c… Task timed out after 30.00 seconds' }],
  ])("reports the function's own timeout, in the wording of %s, as such", async (_, payload) => {
    answering(payload, 'Unhandled');

    const error = await failureOf();

    expect(error.code).toBe('FunctionTimedOut');
    expect(error.message).toBe('Lambda function orders-client timed out after 30 s, its own timeout, before it answered.');
  });

  it('reports an error the function threw, and where its log is', async () => {
    answering({ errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module 'index'" }, 'Unhandled');

    const error = await failureOf();

    expect(error.code).toBe('FunctionFailed');
    expect(error.message).toBe("Lambda function orders-client failed: Runtime.ImportModuleError: Error: Cannot find module 'index'");
    expect(error.hint).toBe('Its log is in the CloudWatch Logs group /aws/lambda/orders-client.');
  });

  it('says so when the function is not the client function', async () => {
    answering('Simple Lambda happy path OK');

    const error = await failureOf();

    expect(error.code).toBe('FunctionAnswerUnknown');
  });
});
