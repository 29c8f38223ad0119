import {
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  NoSuchEntityException,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { GetFunctionCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ForeignResourceError } from '../../../src/errors.js';
import { clientRoleStep } from '../../../src/steps/client-role.js';
import { stepContext } from '../support/step-context.js';

const iam = mockClient(IAMClient);
const lambda = mockClient(LambdaClient);

const ROLE = 'unit-stack-client-us-east-1';
const ROLE_ARN = `arn:aws:iam::123456789012:role/${ROLE}`;
const OUR_TAGS = [{ Key: 'rdsproxy-setup:stack', Value: 'unit-stack' }];

/** The role's two documents, written out by hand. */
const TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const OWN_LOGS = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'CreateOwnLogGroup', Effect: 'Allow', Action: 'logs:CreateLogGroup', Resource: 'arn:aws:logs:us-east-1:123456789012:*' },
    {
      Sid: 'WriteOwnLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/unit-stack-client:*',
    },
    {
      Sid: 'PlaceInVpc',
      Effect: 'Allow',
      Action: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface'],
      Resource: '*',
    },
  ],
};

const role = (tags?: typeof OUR_TAGS) => ({
  Role: { RoleName: ROLE, RoleId: 'AROAEXAMPLE', Arn: ROLE_ARN, Path: '/', CreateDate: new Date('2026-01-01T00:00:00Z'), ...(tags ? { Tags: tags } : {}) },
});

describe("the client function's role step", () => {
  beforeEach(() => {
    iam.reset();
    lambda.reset();
    lambda.on(GetFunctionCommand).rejects(new ResourceNotFoundException({ message: 'Function not found', $metadata: {} }));
  });

  it('finds the stack\'s role by name and tag', async () => {
    iam.on(GetRoleCommand, { RoleName: ROLE }).resolves(role(OUR_TAGS));

    expect(await clientRoleStep.find(stepContext())).toEqual({ name: ROLE, arn: ROLE_ARN });
  });

  it('finds nothing when there is no role of that name', async () => {
    iam.on(GetRoleCommand).rejects(new NoSuchEntityException({ message: `The role with name ${ROLE} cannot be found.`, $metadata: {} }));

    expect(await clientRoleStep.find(stepContext())).toBeUndefined();
  });

  it('refuses a role with its name but not the stack\'s tag', async () => {
    iam.on(GetRoleCommand).resolves(role([{ Key: 'team', Value: 'payments' }]));

    await expect(clientRoleStep.find(stepContext())).rejects.toThrow(ForeignResourceError);
  });

  it("refuses, before anything is made, when a function that is not the stack's has the client function's name", async () => {
    lambda.on(GetFunctionCommand, { FunctionName: 'unit-stack-client' }).resolves({ Configuration: { FunctionName: 'unit-stack-client' }, Tags: { team: 'payments' } });
    iam.on(GetRoleCommand).rejects(new NoSuchEntityException({ message: 'not found', $metadata: {} }));

    await expect(clientRoleStep.find(stepContext())).rejects.toThrow('Lambda function unit-stack-client exists but is not tagged rdsproxy-setup:stack=unit-stack');
  });

  it('creates a role tagged with the stack and the run that only Lambda may assume, whose one policy writes the function\'s own logs and lets it into a VPC', async () => {
    iam.on(CreateRoleCommand).resolves(role(OUR_TAGS));
    iam.on(PutRolePolicyCommand).resolves({});
    const ctx = stepContext();

    expect(await clientRoleStep.create(ctx)).toEqual({ name: ROLE, arn: ROLE_ARN, runId: ctx.runId });

    const created = iam.commandCalls(CreateRoleCommand)[0]!.args[0].input;
    expect(created.RoleName).toBe(ROLE);
    expect(created.Tags).toEqual([...OUR_TAGS, { Key: 'rdsproxy-setup:run', Value: ctx.runId }]);
    expect(JSON.parse(created.AssumeRolePolicyDocument!)).toEqual(TRUST);
    const put = iam.commandCalls(PutRolePolicyCommand)[0]!.args[0].input;
    expect(put.PolicyName).toBe('own-logs-and-vpc');
    expect(JSON.parse(put.PolicyDocument!)).toEqual(OWN_LOGS);
  });

  it('sees no drift when the policy is the wanted one, and a missing policy when there is none', async () => {
    iam
      .on(GetRolePolicyCommand)
      .resolvesOnce({ RoleName: ROLE, PolicyName: 'own-logs-and-vpc', PolicyDocument: encodeURIComponent(JSON.stringify(OWN_LOGS)) })
      .rejects(new NoSuchEntityException({ message: 'The role policy with name own-logs-and-vpc cannot be found.', $metadata: {} }));
    const found = { name: ROLE, arn: ROLE_ARN };

    expect(await clientRoleStep.drift!(stepContext(), found)).toEqual([]);
    expect(await clientRoleStep.drift!(stepContext(), found)).toEqual([
      { field: 'inline policy own-logs-and-vpc', have: 'missing', want: "write the function's own logs and place it in a VPC, only" },
    ]);
  });
});
