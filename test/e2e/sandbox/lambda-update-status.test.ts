import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { useSandbox, type Sandbox } from '../support/sandbox.js';

// https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html
// https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionConfiguration.html

const EMPTY_ZIP = Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64');

async function createFunction(sandbox: Sandbox): Promise<LambdaClient> {
  const { Role } = await new IAMClient(sandbox.clientConfig).send(
    new CreateRoleCommand({
      RoleName: 'fn-role',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  const lambda = new LambdaClient(sandbox.clientConfig);
  await lambda.send(new CreateFunctionCommand({ FunctionName: 'api', Runtime: 'nodejs20.x', Role: Role!.Arn, Handler: 'index.handler', Code: { ZipFile: EMPTY_ZIP } }));
  return lambda;
}

const update = (lambda: LambdaClient, level: string) =>
  lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'api', Environment: { Variables: { LOG_LEVEL: level } } }));
const status = async (lambda: LambdaClient) => (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'api' }))).LastUpdateStatus;

describe('a Lambda function\'s configuration update that takes a second', () => {
  const sandbox = useSandbox({ env: { SANDBOX_LAMBDA_UPDATE_SECONDS: '1' } });

  it('is InProgress in its answer and to reads until then, and Successful after', async () => {
    const lambda = await createFunction(sandbox);

    const answer = await update(lambda, 'debug');

    expect(answer.LastUpdateStatus).toBe('InProgress');
    expect(await status(lambda)).toBe('InProgress');
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await status(lambda)).toBe('Successful');
  });

  it('refuses another update meanwhile with ResourceConflictException, and takes it once the first is done', async () => {
    const lambda = await createFunction(sandbox);
    await update(lambda, 'debug');

    const conflict = await update(lambda, 'info').catch((e: unknown) => e);

    expect(conflict).toMatchObject({ name: 'ResourceConflictException', $metadata: { httpStatusCode: 409 } });
    expect((conflict as Error).message).toMatch(/^The operation cannot be performed at this time\. An update is in progress for resource: arn:aws:lambda:.*:function:api$/);
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await update(lambda, 'info')).Environment?.Variables).toEqual({ LOG_LEVEL: 'info' });
  });
});

describe('a Lambda function\'s configuration update by default', () => {
  const sandbox = useSandbox();

  it('is Successful at once, as moto has it', async () => {
    const lambda = await createFunction(sandbox);
    await update(lambda, 'debug');

    expect(await status(lambda)).toBe('Successful');
    await expect(update(lambda, 'info')).resolves.toMatchObject({ Environment: { Variables: { LOG_LEVEL: 'info' } } });
  });
});
