import { EC2Client, CreateSecurityGroupCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { IAMClient, CreateRoleCommand } from '@aws-sdk/client-iam';
import { LambdaClient, GetFunctionConfigurationCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { RDSClient, CreateDBProxyCommand, DescribeDBClustersCommand, ModifyDBProxyTargetGroupCommand } from '@aws-sdk/client-rds';
import { SecretsManagerClient, DescribeSecretCommand, ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { useSandbox } from '../support/sandbox.js';

interface Violation {
  service: string;
  operation: string | null;
  message: string;
}

/** Runs an SDK call the sandbox must refuse and returns the error the SDK raised. */
async function refusal(call: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await call;
  } catch (err) {
    return err as Error & { $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected the sandbox to refuse the request, but it was accepted');
}

describe("sandbox: every request is checked against AWS's model of its operation", () => {
  const sandbox = useSandbox();
  const violations = async (): Promise<Violation[]> =>
    ((await (await fetch(`${sandbox.endpoint}/_sandbox/violations`)).json()) as { violations: Violation[] }).violations;

  // The refusals below are on purpose: empty the list so the file's check for violations stays for real ones.
  afterEach(async () => {
    await fetch(`${sandbox.endpoint}/_sandbox/violations`, { method: 'DELETE' });
  });

  it('refuses a borrow timeout of 301 sent past the CLI config check with a 400 naming the operation and the member', async () => {
    const rds = new RDSClient(sandbox.clientConfig);

    const err = await refusal(
      rds.send(
        new ModifyDBProxyTargetGroupCommand({
          DBProxyName: 'orders-proxy',
          TargetGroupName: 'default',
          ConnectionPoolConfig: { ConnectionBorrowTimeout: 301 },
        }),
      ),
    );

    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(err.name).toBe('ValidationError');
    expect(err.message).toContain('ModifyDBProxyTargetGroup: ConnectionPoolConfig.ConnectionBorrowTimeout 301 is above the maximum 300');
  });

  it('refuses a request without a required member (JSON protocol)', async () => {
    const secrets = new SecretsManagerClient(sandbox.clientConfig);

    const err = await refusal(secrets.send(new DescribeSecretCommand({} as { SecretId: string })));

    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(err.name).toBe('ValidationError');
    expect(err.message).toBe('DescribeSecret: SecretId is required');
  });

  it('refuses a value outside the member enum (query protocol)', async () => {
    const rds = new RDSClient(sandbox.clientConfig);

    const err = await refusal(
      rds.send(
        new CreateDBProxyCommand({
          DBProxyName: 'orders-proxy',
          EngineFamily: 'ORACLE' as 'POSTGRESQL',
          RoleArn: 'arn:aws:iam::123456789012:role/rdsproxy-orders',
          VpcSubnetIds: ['subnet-0123abcd', 'subnet-4567cdef'],
        }),
      ),
    );

    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(err.message).toContain("CreateDBProxy: EngineFamily 'ORACLE' is not one of MYSQL, POSTGRESQL, SQLSERVER");
  });

  it('refuses a string longer than the model maximum (IAM, query protocol)', async () => {
    const iam = new IAMClient(sandbox.clientConfig);

    const err = await refusal(
      iam.send(new CreateRoleCommand({ RoleName: 'r'.repeat(65), AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' })),
    );

    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(err.message).toContain('CreateRole: RoleName has length 65, above the maximum 64');
  });

  it('refuses a value that does not match the member pattern (REST-JSON protocol)', async () => {
    const lambda = new LambdaClient(sandbox.clientConfig);

    const err = await refusal(lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'no such function' })));

    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(err.name).toBe('ValidationError');
    expect(err.message).toContain("GetFunctionConfiguration: FunctionName 'no such function' does not match the pattern");
  });

  it('refuses a security group name starting with sg-, as EC2 documents (EC2 protocol)', async () => {
    const ec2 = new EC2Client(sandbox.clientConfig);

    const err = await refusal(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'sg-orders-proxy-sg', Description: 'proxy' })));

    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(err.name).toBe('ValidationError');
    expect(err.message).toContain("CreateSecurityGroup: GroupName 'sg-orders-proxy-sg' breaks the rule");
    expect(err.message).toContain('not starting with "sg-"');
  });

  it('never shows the value of a member the model marks sensitive', async () => {
    // Sent by hand: the SDK would not send a number as the secret string.
    const res = await fetch(sandbox.endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'secretsmanager.CreateSecret',
        Authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify({ Name: 'orders', SecretString: 987654321 }),
    });
    const body = (await res.json()) as { __type: string; message: string };

    expect(res.status).toBe(400);
    expect(body).toEqual({ __type: 'ValidationError', message: 'CreateSecret: SecretString (sensitive value) is not a string' });
    expect(JSON.stringify(await violations())).not.toContain('987654321');
  });

  it('passes valid requests of each protocol to moto and records nothing', async () => {
    const config = sandbox.clientConfig;

    const answers = await Promise.all([
      new RDSClient(config).send(new DescribeDBClustersCommand({ Filters: [{ Name: 'engine', Values: ['aurora-postgresql'] }] })),
      new EC2Client(config).send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] })),
      new SecretsManagerClient(config).send(new ListSecretsCommand({ MaxResults: 10 })),
      new LambdaClient(config).send(new ListFunctionsCommand({ MaxItems: 10 })),
    ]);

    expect(answers.map((a) => a.$metadata.httpStatusCode)).toEqual([200, 200, 200, 200]);
    expect(await violations()).toEqual([]);
  });

  it('lists each refused request with its service, operation and message, until DELETE empties the list', async () => {
    const rds = new RDSClient(sandbox.clientConfig);
    await refusal(
      rds.send(new ModifyDBProxyTargetGroupCommand({ DBProxyName: 'p', TargetGroupName: 'default', ConnectionPoolConfig: { MaxConnectionsPercent: 0 } })),
    );

    expect(await violations()).toEqual([
      {
        service: 'rds',
        operation: 'ModifyDBProxyTargetGroup',
        message: expect.stringContaining('ModifyDBProxyTargetGroup: ConnectionPoolConfig.MaxConnectionsPercent 0 is below the minimum 1'),
      },
    ]);

    await fetch(`${sandbox.endpoint}/_sandbox/violations`, { method: 'DELETE' });

    expect(await violations()).toEqual([]);
  });

  it("empties the list on moto's reset", async () => {
    const secrets = new SecretsManagerClient(sandbox.clientConfig);
    await refusal(secrets.send(new DescribeSecretCommand({} as { SecretId: string })));
    expect(await violations()).toHaveLength(1);

    await fetch(`${sandbox.endpoint}/moto-api/reset`, { method: 'POST' });

    expect(await violations()).toEqual([]);
  });
});
