import { CloudWatchLogsClient, DeleteLogGroupCommand, ResourceNotFoundException as LogGroupNotFound } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  InvalidParameterValueException,
  LambdaClient,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ForeignResourceError } from '../../../src/errors.js';
import { clientFunctionStep } from '../../../src/steps/client-function.js';
import type { ClientFunction } from '../../../src/steps/resources.js';
import { stepContext } from '../support/step-context.js';

const lambda = mockClient(LambdaClient);
const logs = mockClient(CloudWatchLogsClient);

const NAME = 'unit-stack-client';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/unit-stack-client-us-east-1';
const FUNCTION_ARN = `arn:aws:lambda:us-east-1:123456789012:function:${NAME}`;
const PACKAGE = { zip: new Uint8Array([80, 75, 5, 6, 1, 2, 3]), sha256: 'c2hhLW9mLXRoZS1zaGlwcGVkLXppcA==' };
const OUR_TAGS = { 'rdsproxy-setup:stack': 'unit-stack' };

/** The function as `up` leaves it: what a GetFunction of it answers. */
const DEPLOYED: FunctionConfiguration = {
  FunctionName: NAME,
  FunctionArn: FUNCTION_ARN,
  Runtime: 'nodejs22.x',
  Handler: 'index.handler',
  Role: ROLE_ARN,
  Architectures: ['arm64'],
  Timeout: 30,
  MemorySize: 256,
  CodeSha256: PACKAGE.sha256,
  State: 'Active',
  LastUpdateStatus: 'Successful',
};
const RECORDED: ClientFunction = {
  name: NAME,
  arn: FUNCTION_ARN,
  codeSha256: PACKAGE.sha256,
  runtime: 'nodejs22.x',
  handler: 'index.handler',
  role: ROLE_ARN,
  architectures: ['arm64'],
  timeoutSeconds: 30,
  memoryMb: 256,
  state: 'Active',
};

const context = () => stepContext({ resources: { 'client-role': { name: 'unit-stack-client-us-east-1', arn: ROLE_ARN } } });
const step = clientFunctionStep(PACKAGE);
const notFound = () => new ResourceNotFoundException({ message: `Function not found: ${FUNCTION_ARN}`, $metadata: {} });

describe("the client function's step", () => {
  beforeEach(() => {
    lambda.reset();
    logs.reset();
  });

  it('finds nothing when there is no function of that name', async () => {
    lambda.on(GetFunctionCommand).rejects(notFound());

    expect(await step.find(context())).toBeUndefined();
  });

  it('finds the stack\'s function by its name and tag', async () => {
    lambda.on(GetFunctionCommand, { FunctionName: NAME }).resolves({ Configuration: DEPLOYED, Tags: OUR_TAGS });

    expect(await step.find(context())).toEqual(RECORDED);
  });

  it('refuses a function with its name but not the stack\'s tag', async () => {
    lambda.on(GetFunctionCommand).resolves({ Configuration: DEPLOYED, Tags: { team: 'payments' } });

    await expect(step.find(context())).rejects.toThrow(ForeignResourceError);
  });

  it('creates it from the package, on arm64 and Node.js 22, with its role, the stack tag and the run\'s id', async () => {
    lambda.on(CreateFunctionCommand).resolves(DEPLOYED);
    const ctx = context();

    const created = await step.create(ctx);

    expect(created).toEqual({ ...RECORDED, runId: ctx.runId });
    const input = lambda.commandCalls(CreateFunctionCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      FunctionName: NAME,
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Role: ROLE_ARN,
      Timeout: 30,
      MemorySize: 256,
      Tags: { ...OUR_TAGS, 'rdsproxy-setup:run': ctx.runId },
    });
    expect(input.Code?.ZipFile).toEqual(PACKAGE.zip);
    expect(input.Environment).toBeUndefined();
    expect(input.VpcConfig).toBeUndefined();
  });

  it('tries again while Lambda cannot assume the new role yet, and says so', async () => {
    const progress: string[] = [];
    lambda
      .on(CreateFunctionCommand)
      .rejectsOnce(new InvalidParameterValueException({ message: 'The role defined for the function cannot be assumed by Lambda.', $metadata: {} }))
      .resolves(DEPLOYED);

    await step.create({ ...context(), progress: (p) => progress.push(p.kind === 'retrying' ? p.because : p.kind) });

    expect(lambda.commandCalls(CreateFunctionCommand)).toHaveLength(2);
    expect(progress).toEqual(['Lambda cannot assume the new IAM role unit-stack-client-us-east-1 until it has propagated']);
  });

  it('does not retry any other refusal', async () => {
    lambda.on(CreateFunctionCommand).rejects(new InvalidParameterValueException({ message: 'Unzipped size must be smaller than 262144000 bytes', $metadata: {} }));

    await expect(step.create(context())).rejects.toThrow('Unzipped size must be smaller');
    expect(lambda.commandCalls(CreateFunctionCommand)).toHaveLength(1);
  });

  it('sees no drift in a function deployed from the same package with the same settings', async () => {
    expect(await step.drift!(context(), RECORDED)).toEqual([]);
  });

  it('sees a package whose digest differs from the deployed code', async () => {
    expect(await step.drift!(context(), { ...RECORDED, codeSha256: 'b2xkZXItY29kZQ==' })).toEqual([
      { field: 'CodeSha256', have: 'b2xkZXItY29kZQ==', want: PACKAGE.sha256 },
    ]);
  });

  it('deploys a changed package with one UpdateFunctionCode and no configuration change, then waits for the update', async () => {
    lambda
      .on(GetFunctionCommand)
      .resolvesOnce({ Configuration: { ...DEPLOYED, LastUpdateStatus: 'InProgress' }, Tags: OUR_TAGS })
      .resolves({ Configuration: DEPLOYED, Tags: OUR_TAGS });
    lambda.on(UpdateFunctionCodeCommand).resolves({});

    const updated = await step.converge!(context(), { ...RECORDED, codeSha256: 'b2xkZXItY29kZQ==' }, [
      { field: 'CodeSha256', have: 'b2xkZXItY29kZQ==', want: PACKAGE.sha256 },
    ]);

    expect(lambda.commandCalls(UpdateFunctionCodeCommand).map((c) => c.args[0].input)).toEqual([
      { FunctionName: NAME, ZipFile: PACKAGE.zip, Architectures: ['arm64'] },
    ]);
    expect(lambda.commandCalls(UpdateFunctionConfigurationCommand)).toHaveLength(0);
    expect(updated.codeSha256).toBe(PACKAGE.sha256);
  });

  it('repairs only the settings that drifted, retrying while another update is in progress', async () => {
    const drifted = { ...RECORDED, timeoutSeconds: 3, runtime: 'nodejs20.x' };
    const changes = await step.drift!(context(), drifted);
    lambda.on(GetFunctionCommand).resolves({ Configuration: DEPLOYED, Tags: OUR_TAGS });
    lambda
      .on(UpdateFunctionConfigurationCommand)
      .rejectsOnce(new ResourceConflictException({ message: 'An update is in progress for resource', $metadata: {} }))
      .resolves({});

    await step.converge!(context(), drifted, changes);

    expect(changes.map((c) => c.field)).toEqual(['Runtime', 'Timeout']);
    expect(lambda.commandCalls(UpdateFunctionConfigurationCommand).map((c) => c.args[0].input)).toEqual([
      { FunctionName: NAME, Runtime: 'nodejs22.x', Timeout: 30 },
      { FunctionName: NAME, Runtime: 'nodejs22.x', Timeout: 30 },
    ]);
    expect(lambda.commandCalls(UpdateFunctionCodeCommand)).toHaveLength(0);
  });

  it('stops waiting on a function Lambda could not set up, with its reason', async () => {
    lambda.on(GetFunctionCommand).resolves({
      Configuration: { ...DEPLOYED, State: 'Failed', StateReason: 'The provided execution role does not have permissions to call CreateNetworkInterface on EC2' },
      Tags: OUR_TAGS,
    });

    await expect(step.wait!(context(), RECORDED)).rejects.toThrow(
      /Lambda function unit-stack-client is Failed after .*: The provided execution role does not have permissions to call CreateNetworkInterface/,
    );
  });

  it('deletes the function and the log group Lambda made for it, either already gone or not', async () => {
    lambda.on(DeleteFunctionCommand).rejects(notFound());
    logs.on(DeleteLogGroupCommand).rejects(new LogGroupNotFound({ message: 'The specified log group does not exist.', $metadata: {} }));

    await step.destroy(context(), RECORDED, { finalSnapshot: false, forceDeleteSecret: false });

    expect(lambda.commandCalls(DeleteFunctionCommand)[0]!.args[0].input).toEqual({ FunctionName: NAME });
    expect(logs.commandCalls(DeleteLogGroupCommand)[0]!.args[0].input).toEqual({ logGroupName: `/aws/lambda/${NAME}` });
  });
});
