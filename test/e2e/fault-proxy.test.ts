import { CreateSecurityGroupCommand, DescribeSecurityGroupsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateSecretCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { useFaultProxy } from './support/fault-proxy.js';
import { useSandbox } from './support/sandbox.js';

describe('the test suite\'s fault-injecting proxy in front of the sandbox', () => {
  const sandbox = useSandbox();
  const proxy = useFaultProxy(sandbox);
  /** Clients that go through the proxy, with one attempt so each fault is seen as it is. */
  const through = () => ({ ...sandbox.clientConfig, endpoint: proxy.endpoint, maxAttempts: 1 });
  const defaultVpc = async () =>
    (await new EC2Client(sandbox.clientConfig).send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0]!.VpcId!;
  const groupsNamed = async (name: string) =>
    (await new EC2Client(sandbox.clientConfig).send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [name] }] })))
      .SecurityGroups ?? [];

  it('counts reads and writes by AWS operation across the query, JSON and REST protocols', async () => {
    const vpcId = await defaultVpc();
    await new EC2Client(through()).send(new CreateSecurityGroupCommand({ GroupName: 'counted', Description: 'x', VpcId: vpcId }));
    await new SecretsManagerClient(through()).send(new ListSecretsCommand({}));
    await new LambdaClient(through()).send(new GetFunctionConfigurationCommand({ FunctionName: 'absent' })).catch(() => undefined);

    expect(proxy.calls().map((c) => c.operation)).toEqual(['CreateSecurityGroup', 'ListSecrets', 'GetFunctionConfiguration']);
    expect(proxy.writes().map((c) => c.operation)).toEqual(['CreateSecurityGroup']);
  });

  it('refuses a query-protocol call with the AWS error code it is given, and the sandbox never sees it', async () => {
    proxy.inject({ operation: 'CreateSecurityGroup', fault: { kind: 'refuse', code: 'UnauthorizedOperation', message: 'no' } });

    const call = new EC2Client(through()).send(new CreateSecurityGroupCommand({ GroupName: 'refused', Description: 'x', VpcId: await defaultVpc() }));

    await expect(call).rejects.toMatchObject({ name: 'UnauthorizedOperation', message: 'no' });
    expect(await groupsNamed('refused')).toEqual([]);
  });

  it('refuses a JSON-protocol call with the AWS error code it is given', async () => {
    proxy.inject({ operation: 'CreateSecret', fault: { kind: 'refuse', code: 'LimitExceededException' } });

    const call = new SecretsManagerClient(through()).send(new CreateSecretCommand({ Name: 'refused', SecretString: 'x' }));

    await expect(call).rejects.toMatchObject({ name: 'LimitExceededException' });
  });

  it('drops the answer after the sandbox did the work: the caller sees a failure, the resource exists', async () => {
    proxy.inject({ operation: 'CreateSecurityGroup', fault: { kind: 'drop' } });

    const call = new EC2Client(through()).send(new CreateSecurityGroupCommand({ GroupName: 'lost-answer', Description: 'x', VpcId: await defaultVpc() }));

    await expect(call).rejects.toThrow();
    expect(await groupsNamed('lost-answer')).toHaveLength(1);
  });

  it('never answers a hanging call, until the caller gives up', async () => {
    proxy.inject({ operation: 'DescribeVpcs', fault: { kind: 'hang' } });
    const started = Date.now();

    const call = new EC2Client(through()).send(new DescribeVpcsCommand({}), { abortSignal: AbortSignal.timeout(500) });

    await expect(call).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(proxy.calls()).toEqual([{ operation: 'DescribeVpcs', fault: 'hang' }]);
  });

  it('delays a call by the time it is given, then answers it', async () => {
    proxy.inject({ operation: 'DescribeVpcs', fault: { kind: 'delay', ms: 600 } });
    const started = Date.now();

    const answer = await new EC2Client(through()).send(new DescribeVpcsCommand({}));

    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(answer.Vpcs!.length).toBeGreaterThan(0);
  });

  it('applies a fault only to the matching calls after the ones it lets through, and only as many times as it is told', async () => {
    proxy.inject({ operation: 'DescribeVpcs', fault: { kind: 'refuse' }, after: 1, times: 1 });
    const ec2 = new EC2Client(through());

    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push(await ec2.send(new DescribeVpcsCommand({})).then(() => 'ok', (e: Error) => e.name));

    expect(outcomes).toEqual(['ok', 'InjectedFault', 'ok']);
  });
});
