import { IAMClient, GetRoleCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { lambdaReader } from '../../../../src/doctor/readers/lambda.js';
import { FN_ROLE_ARN } from '../healthy-snapshot.js';
import { scope } from './scope.js';

const lambda = mockClient(LambdaClient);
const iam = mockClient(IAMClient);
afterEach(() => {
  lambda.reset();
  iam.reset();
});

const withLambda = scope({ lambda: 'orders-api' });

describe('reading the client function', () => {
  it('gives its network, environment and execution role', async () => {
    lambda.on(GetFunctionConfigurationCommand, { FunctionName: 'orders-api' }).resolves({
      FunctionName: 'orders-api',
      Role: FN_ROLE_ARN,
      VpcConfig: { SubnetIds: ['subnet-a'], SecurityGroupIds: ['sg-client'] },
      Environment: { Variables: { PGHOST: 'proxy.example', PGUSER: 'app_owner' } },
    });
    iam.on(GetRoleCommand).resolves({ Role: { RoleName: 'orders-api-role', Arn: FN_ROLE_ARN, Path: '/', RoleId: 'AROA2', CreateDate: new Date() } });
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
    const fn = await lambdaReader.read(withLambda, {});
    expect(fn).toMatchObject({
      ok: true,
      value: {
        name: 'orders-api',
        roleArn: FN_ROLE_ARN,
        subnetIds: ['subnet-a'],
        securityGroupIds: ['sg-client'],
        environment: { PGHOST: 'proxy.example', PGUSER: 'app_owner' },
        role: { ok: true, value: { name: 'orders-api-role', policies: { ok: true, value: [] } } },
      },
    });
  });

  it('says so when the function has no execution role', async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({ FunctionName: 'orders-api' });
    const fn = await lambdaReader.read(withLambda, {});
    expect(fn?.ok && fn.value.role).toMatchObject({ ok: false, error: 'the function has no execution role' });
    expect(iam.calls()).toHaveLength(0);
  });

  it('keeps a function that does not exist as a not-found read', async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(new ResourceNotFoundException({ message: 'Function not found', $metadata: {} }));
    expect(await lambdaReader.read(withLambda, {})).toMatchObject({ ok: false, code: 'ResourceNotFoundException', notFound: true });
  });

  it('reads nothing without --lambda', async () => {
    expect(await lambdaReader.read(scope(), {})).toBeUndefined();
    expect(lambda.calls()).toHaveLength(0);
  });
});
