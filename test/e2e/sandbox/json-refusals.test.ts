import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeDBProxiesCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetResourcePolicyCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { useAccessControl, type Principal } from '../support/access-control.js';

/** What the SDK raises for a refused call: its error name, message and HTTP status. */
async function refusal(call: () => Promise<unknown>) {
  const err = (await call().then(
    () => undefined,
    (e: unknown) => e,
  )) as { name: string; message: string; $metadata: { httpStatusCode?: number } } | undefined;
  return err && { name: err.name, message: err.message, status: err.$metadata.httpStatusCode };
}

describe('sandbox addition json_refusals: a refused call is answered in its service\'s protocol', () => {
  const { userWith } = useAccessControl();
  let user: Principal;
  const onlyListingTagsOf = (service: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: `${service}:ListTagsForResource`, Resource: '*' }] });

  it.each([
    ['Secrets Manager', 'secretsmanager:GetResourcePolicy', (c: Principal['clientConfig']) => new SecretsManagerClient(c).send(new GetResourcePolicyCommand({ SecretId: 's' }))],
    ['KMS', 'kms:DescribeKey', (c: Principal['clientConfig']) => new KMSClient(c).send(new DescribeKeyCommand({ KeyId: 'alias/k' }))],
    ['CloudWatch Logs', 'logs:FilterLogEvents', (c: Principal['clientConfig']) => new CloudWatchLogsClient(c).send(new FilterLogEventsCommand({ logGroupName: '/aws/rds/proxy/p' }))],
    ['Lambda', 'lambda:GetFunctionConfiguration', (c: Principal['clientConfig']) => new LambdaClient(c).send(new GetFunctionConfigurationCommand({ FunctionName: 'f' }))],
  ])('%s answers AccessDeniedException in JSON, naming the action', async (_service, action, call) => {
    user = await userWith(onlyListingTagsOf(action.split(':')[0]!));
    expect(await refusal(() => call(user.clientConfig))).toEqual({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::123456789012:user/${user.name} is not authorized to perform: ${action}`,
      status: 400,
    });
  });

  it('leaves the refusals of a query-protocol service as they were: RDS answers AccessDenied', async () => {
    user = await userWith(onlyListingTagsOf('rds'));
    expect(await refusal(() => new RDSClient(user.clientConfig).send(new DescribeDBProxiesCommand({})))).toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('is not authorized to perform: rds:DescribeDBProxies'),
      status: 403,
    });
  });
});
