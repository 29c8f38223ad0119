import { beforeEach, describe, expect, it } from 'vitest';
import { CliError } from '../../../src/errors.js';
import { grantLambda, type LambdaGrantRequest } from '../../../src/grants/grant-lambda.js';
import { grantRole } from '../../../src/grants/grant-role.js';
import { ACCOUNT, grantContext, healthyWorld, lambda, serve, TARGET, writes, type World } from './grant-world.js';

let world: World;
beforeEach(() => {
  world = healthyWorld();
});

const request = (overrides: Partial<LambdaGrantRequest> = {}): LambdaGrantRequest => ({ function: 'api', attachVpc: false, overwriteEnv: false, ...overrides });

/** Runs grant, expects a refusal (exit 1) and returns its message and hint; nothing was written. */
async function refused(run: () => Promise<unknown>): Promise<{ message: string; hint: string }> {
  serve(world);
  const err = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CliError);
  const { message, hint, exitCode, code } = err as CliError;
  expect({ exitCode, code }).toEqual({ exitCode: 1, code: 'GrantRefused' });
  expect(writes()).toEqual({});
  expect(hint).toContain('Nothing was changed.');
  return { message, hint: hint! };
}

const grant = (overrides?: Partial<LambdaGrantRequest>) => () => grantLambda(grantContext(), TARGET, request(overrides));

describe('grant --lambda refuses before any write', () => {
  it('a function that does not exist', async () => {
    world.fn = undefined;
    expect((await refused(grant())).message).toBe('Lambda function api does not exist in us-east-1.');
  });

  it('a function ARN of another account, without asking AWS about it', async () => {
    const { message } = await refused(grant({ function: 'arn:aws:lambda:us-east-1:999999999999:function:api' }));
    expect(message).toContain("not in the proxy's account 123456789012, region us-east-1");
    expect(lambda.calls()).toEqual([]);
  });

  it('a function ARN of another region', async () => {
    const { message } = await refused(grant({ function: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:api` }));
    expect(message).toContain('region us-east-1');
  });

  it('a function in another VPC, saying peering is out of scope', async () => {
    world.fn!.VpcConfig = { SubnetIds: ['subnet-000000ff'], SecurityGroupIds: ['sg-000000ff'], VpcId: 'vpc-000000ff' };
    const { message } = await refused(grant());
    expect(message).toContain('runs in VPC vpc-000000ff, the proxy in vpc-0000000a');
    expect(message).toContain('peering');
  });

  it('a function in no VPC without --attach-vpc, saying to pass it', async () => {
    world.fn!.VpcConfig = { SubnetIds: [], SecurityGroupIds: [] };
    const { message, hint } = await refused(grant());
    expect(message).toContain('is in no VPC');
    expect(hint).toContain('Pass --attach-vpc');
  });

  it('a function whose execution role is service-linked', async () => {
    world.role!.Path = '/aws-service-role/lambda.amazonaws.com/';
    expect((await refused(grant())).message).toContain('is a service-linked role');
  });

  it('a user the proxy holds no credentials for, naming doctor\'s client.user-matches', async () => {
    const { message } = await refused(grant({ user: 'reporting' }));
    expect(message).toContain('--user "reporting" is not a user the proxy demo-proxy holds credentials for (it holds "postgres")');
    expect(message).toContain('client.user-matches');
  });

  it('a user that differs from the proxy\'s only by case, saying names are case-sensitive', async () => {
    expect((await refused(grant({ user: 'Postgres' }))).message).toContain('user names are case-sensitive');
  });

  it('a role whose inline policies would go over IAM\'s 10,240 characters with the connect policy', async () => {
    // 10,100 characters of its own: room left, but not for the connect policy.
    const policy = (sid: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    world.role!.inline = { big: policy('A'.repeat(10_100 - policy('').length)) };
    expect((await refused(grant())).message).toContain("over IAM's limit of 10240 for a role");
  });

  it('a role that lacks the network-interface permissions and holds as many managed policies as the account allows', async () => {
    world.networkInterfaces = 'implicitDeny';
    world.role!.attached = Array.from({ length: 10 }, (_, i) => `arn:aws:iam::${ACCOUNT}:policy/p${i}`);
    const { message } = await refused(grant());
    expect(message).toContain('has 10 managed policies, the most this account allows per role (10)');
  });

  it('a proxy security group that holds 50 tags already', async () => {
    world.groups[0]!.Tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect((await refused(grant())).message).toContain('would need 51 tags, but AWS allows 50 per resource');
  });

  it("a function whose environment grant's settings would take over Lambda's 4 KB, naming sizes, never a value", async () => {
    const value = `token-${'x'.repeat(4000)}`;
    world.fn!.Environment = { Variables: { SESSION_SECRET: value } };
    const { message, hint } = await refused(grant());
    expect(message).toContain("bytes of environment variables with grant's PG* settings, but Lambda allows 4096 in all");
    expect(message + hint).not.toContain(value);
  });

  it('a function already granted for another user', async () => {
    world.functionTags = { 'rdsproxy-setup:client:demo': 'reporting' };
    const { message, hint } = await refused(grant());
    expect(message).toContain('already a client of stack demo for user "reporting"');
    expect(hint).toContain('rdsproxy-setup revoke --lambda api --name demo');
  });
});

describe('grant --role refuses before any write', () => {
  const grantRoleNamed = (role: string, clientSecurityGroupId?: string) => () => grantRole(grantContext(), TARGET, { role, clientSecurityGroupId });

  it('a role that does not exist', async () => {
    world.role = undefined;
    expect((await refused(grantRoleNamed('task-role'))).message).toBe('IAM role task-role does not exist.');
  });

  it('a service-linked role', async () => {
    world.role!.Path = '/aws-service-role/ecs.amazonaws.com/';
    expect((await refused(grantRoleNamed('AWSServiceRoleForECS'))).message).toContain('service-linked');
  });

  it('a role ARN of another account', async () => {
    expect((await refused(grantRoleNamed('arn:aws:iam::999999999999:role/task-role'))).message).toContain("not in the proxy's account");
  });

  it('a --client-sg in another VPC', async () => {
    world.groups.push({ GroupId: 'sg-000000ee', GroupName: 'elsewhere', VpcId: 'vpc-000000ee', Tags: [] });
    expect((await refused(grantRoleNamed('task-role', 'sg-000000ee'))).message).toContain('is in VPC vpc-000000ee, the proxy in vpc-0000000a');
  });

  it('a --client-sg that does not exist', async () => {
    expect((await refused(grantRoleNamed('task-role', 'sg-000000dd'))).message).toContain('does not exist');
  });
});
