import { CreateTagsCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreatePolicyCommand, CreateServiceLinkedRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAccountInventory } from './support/account-inventory.js';
import { runCli, type CliResult } from './support/cli.js';
import { createFunction, createGroup, createRole, otherVpc, stackFacts, type StackFacts } from './support/client-fixtures.js';
import { changes } from './support/inventory-changes.js';
import { useSandbox } from './support/sandbox.js';
import { loggedCalls, writeCalls } from './support/stack-reads.js';

describe('grant refuses, changing nothing', () => {
  // One stack for the file: every refusal is judged by the account before and after it.
  const sandbox = useSandbox({ resetEachTest: false });
  let stack: StackFacts;

  beforeAll(async () => {
    const up = await runCli(['up', '--name', 'guard'], sandbox.env);
    expect(up.code, up.stderr).toBe(0);
    stack = await stackFacts(sandbox, 'guard');
  });

  /** Runs grant and returns its result; the account reads the same before and after, and grant made no write. */
  async function refused(...args: string[]): Promise<CliResult> {
    const before = await readAccountInventory(sandbox);
    const result = await runCli(['grant', '--name', 'guard', ...args, '--verbose'], sandbox.env);
    expect(writeCalls(result.stderr)).toEqual([]);
    expect(changes(before, await readAccountInventory(sandbox))).toEqual([]);
    return result;
  }

  it('a function that does not exist: exit 1', async () => {
    const result = await refused('--lambda', 'nobody');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: Lambda function nobody does not exist in us-east-1.');
  });

  it('a role that does not exist: exit 1', async () => {
    const result = await refused('--role', 'nobody-role');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Error: IAM role nobody-role does not exist.');
  });

  it('a service-linked role: exit 1', async () => {
    const { Role } = await new IAMClient(sandbox.clientConfig).send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'ecs.amazonaws.com' }));
    const result = await refused('--role', Role!.RoleName!);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`is a service-linked role (path ${Role!.Path})`);
  });

  it('a function in another VPC, saying peering is out of scope: exit 1', async () => {
    const elsewhere = await otherVpc(sandbox);
    const roleArn = await createRole(sandbox, 'far-role', { eniPermissions: true });
    await createFunction(sandbox, 'far', { roleArn, vpc: { subnetIds: [elsewhere.subnetId], groupIds: [elsewhere.groupId] } });
    const result = await refused('--lambda', 'far');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`runs in VPC ${elsewhere.vpcId}, the proxy in ${stack.vpcId}`);
    expect(result.stderr).toContain('peering');
  });

  it('a function in no VPC without --attach-vpc, saying to pass it: exit 1', async () => {
    const roleArn = await createRole(sandbox, 'loose-role');
    await createFunction(sandbox, 'loose', { roleArn });
    const result = await refused('--lambda', 'loose');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is in no VPC');
    expect(result.stderr).toContain('Pass --attach-vpc');
  });

  it('a role whose inline policies would outgrow IAM\'s 10,240 characters: exit 1', async () => {
    const statement = (sid: string) => ({ Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    const pad = (size: number) => 'A'.repeat(size - JSON.stringify(statement('')).length);
    await createRole(sandbox, 'full-role', { inline: { first: statement(pad(5_050)), second: statement(pad(5_050)) } });
    const result = await refused('--role', 'full-role');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("over IAM's limit of 10240 for a role");
  });

  it('a role that needs AWSLambdaVPCAccessExecutionRole but holds as many managed policies as the account allows: exit 1', async () => {
    const iam = new IAMClient(sandbox.clientConfig);
    const attached: string[] = [];
    for (let i = 0; i < 10; i++) {
      const { Policy } = await iam.send(
        new CreatePolicyCommand({ PolicyName: `busy-${i}`, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }] }) }),
      );
      attached.push(Policy!.Arn!);
    }
    const roleArn = await createRole(sandbox, 'busy-role', { attached });
    await createFunction(sandbox, 'busy', { roleArn });
    const result = await refused('--lambda', 'busy', '--attach-vpc');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('has 10 managed policies, the most this account allows per role (10)');
  });

  it('a user the proxy holds no credentials for, with the reason and doctor\'s client.user-matches: exit 1', async () => {
    const roleArn = await createRole(sandbox, 'user-role', { eniPermissions: true });
    const groupId = await createGroup(sandbox, 'user-sg', stack.vpcId);
    await createFunction(sandbox, 'user', { roleArn, vpc: { subnetIds: [stack.subnetIds[0]!], groupIds: [groupId] } });
    const result = await refused('--lambda', 'user', '--user', 'reporting');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--user "reporting" is not a user the proxy guard-proxy holds credentials for (it holds "postgres")');
    expect(result.stderr).toContain('client.user-matches');
  });

  it('a function ARN in another account, before asking AWS about it: exit 1', async () => {
    const result = await refused('--lambda', 'arn:aws:lambda:us-east-1:999999999999:function:user');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("not in the proxy's account 123456789012, region us-east-1");
    expect(loggedCalls(result.stderr).filter((c) => c.startsWith('lambda.'))).toEqual([]);
  });

  it('a --client-sg in another VPC: exit 1', async () => {
    await createRole(sandbox, 'vpc-role');
    const elsewhere = await otherVpc(sandbox);
    const result = await refused('--role', 'vpc-role', '--client-sg', elsewhere.groupId);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`is in VPC ${elsewhere.vpcId}, the proxy in ${stack.vpcId}`);
  });

  it.each([
    [['--lambda', 'bad name'], '--lambda "bad name" is not a valid function'],
    [['--lambda', 'api:prod'], 'names a version or alias'],
    [['--role', 'bad role'], 'is not a valid IAM role'],
    [['--lambda', 'api', '--role', 'task'], 'grant needs exactly one client'],
    [['--role', 'task', '--client-sg', 'sg-nothex'], '--client-sg "sg-nothex" is not a valid id'],
    [['--lambda', 'api', '--user', 'rds_admin'], 'is reserved by RDS or PostgreSQL'],
  ])('bad input %j before any AWS call: exit 2', async (args, message) => {
    const result = await refused(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(loggedCalls(result.stderr)).toEqual([]);
  });

  it('a stack without a proxy: exit 1', async () => {
    const before = await readAccountInventory(sandbox);
    const result = await runCli(['grant', '--name', 'nostack', '--lambda', 'user'], sandbox.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Stack nostack has no proxy, proxy security group, cluster in us-east-1');
    expect(changes(before, await readAccountInventory(sandbox))).toEqual([]);
  });

  it('a proxy security group with 50 tags already, saying EC2\'s limit: exit 1', async () => {
    const ec2 = new EC2Client(sandbox.clientConfig);
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [stack.proxyGroupId] }));
    const free = 50 - (SecurityGroups![0]!.Tags ?? []).length;
    await ec2.send(new CreateTagsCommand({ Resources: [stack.proxyGroupId], Tags: Array.from({ length: free }, (_, i) => ({ Key: `owner-${i}`, Value: 'x' })) }));
    const result = await refused('--lambda', 'user');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('would need 51 tags, but AWS allows 50 per resource');
  });
});
