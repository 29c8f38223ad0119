import { randomUUID } from 'node:crypto';
import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRoleTagsCommand } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, LambdaClient, ListTagsCommand } from '@aws-sdk/client-lambda';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { readAccountInventory } from './support/account-inventory.js';
import { runCli } from './support/cli.js';
import { createFunction, createGroup, createRole, groupNamed, stackFacts, type StackFacts } from './support/client-fixtures.js';
import { changes } from './support/inventory-changes.js';
import { useSandbox } from './support/sandbox.js';
import { writeCalls } from './support/stack-reads.js';

const CLIENT_CHECKS = ['sg.client-to-proxy', 'client.tls', 'client.endpoint', 'client.connect-permission', 'client.same-vpc', 'client.user-matches'];
const VPC_ACCESS = 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole';

describe('grant --lambda, then revoke --lambda', () => {
  // grant attaches AWS's AWSLambdaVPCAccessExecutionRole, which moto knows only when it loads its managed policies.
  const sandbox = useSandbox({ env: { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' } });
  const cli = (...args: string[]) => runCli(args, sandbox.env);
  const lambda = () => new LambdaClient(sandbox.clientConfig);
  const iam = () => new IAMClient(sandbox.clientConfig);
  const ec2 = () => new EC2Client(sandbox.clientConfig);

  async function upStack(stack: string): Promise<StackFacts> {
    const up = await cli('up', '--name', stack);
    expect(up.code, up.stderr).toBe(0);
    return stackFacts(sandbox, stack);
  }

  async function proxyIngress(stack: StackFacts) {
    const { SecurityGroups } = await ec2().send(new DescribeSecurityGroupsCommand({ GroupIds: [stack.proxyGroupId] }));
    return SecurityGroups![0]!.IpPermissions!.filter((p) => p.FromPort === 5432);
  }

  async function connectPolicy(role: string, stack: string) {
    const { PolicyDocument } = await iam().send(new GetRolePolicyCommand({ RoleName: role, PolicyName: `rdsproxy-setup-${stack}-connect` }));
    return JSON.parse(decodeURIComponent(PolicyDocument!));
  }

  async function clientChecksOf(stack: string, fn: string) {
    const doctor = await cli('doctor', '--name', stack, '--lambda', fn, '--json');
    const { checks } = JSON.parse(doctor.stdout) as { checks: { id: string; status: string }[] };
    return Object.fromEntries(checks.filter((c) => CLIENT_CHECKS.includes(c.id)).map((c) => [c.id, c.status]));
  }

  const allPass = Object.fromEntries(CLIENT_CHECKS.map((id) => [id, 'pass']));

  it('places a function that is in no VPC in the proxy\'s subnets with --attach-vpc, and revoke leaves the account as it was', async () => {
    const stack = await upStack('wire');
    await createRole(sandbox, 'api-role');
    await createFunction(sandbox, 'api', {
      roleArn: `arn:aws:iam::123456789012:role/api-role`,
      environment: { LOG_LEVEL: 'debug', PGSSLMODE: 'require' },
    });
    const before = await readAccountInventory(sandbox);

    const granted = await cli('grant', '--name', 'wire', '--lambda', 'api', '--attach-vpc', '--overwrite-env');

    expect(granted.code, granted.stderr).toBe(0);
    const fn = await lambda().send(new GetFunctionConfigurationCommand({ FunctionName: 'api' }));
    expect(fn.Environment?.Variables).toEqual({
      LOG_LEVEL: 'debug',
      PGHOST: stack.endpoint,
      PGPORT: '5432',
      PGUSER: 'postgres',
      PGDATABASE: 'app',
      PGSSLMODE: 'verify-full',
    });
    const clientGroup = await groupNamed(sandbox, 'wire-client-sg');
    expect(clientGroup?.VpcId).toBe(stack.vpcId);
    expect(clientGroup?.Tags).toContainEqual({ Key: 'rdsproxy-setup:stack', Value: 'wire' });
    expect(fn.VpcConfig?.VpcId).toBe(stack.vpcId);
    expect([...fn.VpcConfig!.SubnetIds!].sort()).toEqual([...stack.subnetIds].sort());
    expect(fn.VpcConfig?.SecurityGroupIds).toEqual([clientGroup!.GroupId]);
    expect((await proxyIngress(stack)).flatMap((p) => p.UserIdGroupPairs!.map((g) => g.GroupId))).toEqual([clientGroup!.GroupId]);
    expect((await connectPolicy('api-role', 'wire')).Statement).toEqual([
      { Sid: 'RdsProxySetupConnect', Effect: 'Allow', Action: 'rds-db:connect', Resource: [`arn:aws:rds-db:us-east-1:123456789012:dbuser:${stack.resourceId}/postgres`] },
    ]);
    const { AttachedPolicies } = await iam().send(new ListAttachedRolePoliciesCommand({ RoleName: 'api-role' }));
    expect(AttachedPolicies!.map((p) => p.PolicyArn)).toEqual([VPC_ACCESS]);
    expect(granted.stdout).toContain('no internet access unless the VPC has a NAT gateway or VPC endpoints');
    expect(await clientChecksOf('wire', 'api')).toEqual(allPass);

    const revoked = await cli('revoke', '--name', 'wire', '--lambda', 'api');

    expect(revoked.code, revoked.stderr).toBe(0);
    expect(changes(before, await readAccountInventory(sandbox))).toEqual([]);
  });

  it('admits a function in the proxy\'s VPC from its own security group, lets it out to the proxy, and revoke leaves the account as it was', async () => {
    const stack = await upStack('own');
    const groupId = await createGroup(sandbox, 'worker-sg', stack.vpcId, { egress: 'https-only' });
    const roleArn = await createRole(sandbox, 'worker-role', { eniPermissions: true });
    await createFunction(sandbox, 'worker', { roleArn, vpc: { subnetIds: [stack.subnetIds[0]!], groupIds: [groupId] }, environment: { LOG_LEVEL: 'info' } });
    const before = await readAccountInventory(sandbox);

    const granted = await cli('grant', '--name', 'own', '--lambda', 'worker');

    expect(granted.code, granted.stderr).toBe(0);
    expect((await proxyIngress(stack)).flatMap((p) => p.UserIdGroupPairs!.map((g) => g.GroupId))).toEqual([groupId]);
    expect((await proxyIngress(stack)).flatMap((p) => p.IpRanges!.map((r) => r.CidrIp))).toEqual(['172.31.0.0/16']);
    const { SecurityGroups } = await ec2().send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
    expect(SecurityGroups![0]!.IpPermissionsEgress!.filter((p) => p.FromPort === 5432).flatMap((p) => p.UserIdGroupPairs!.map((g) => g.GroupId))).toEqual([
      stack.proxyGroupId,
    ]);
    const fn = await lambda().send(new GetFunctionConfigurationCommand({ FunctionName: 'worker' }));
    expect(fn.VpcConfig?.SecurityGroupIds).toEqual([groupId]);
    expect(fn.Environment?.Variables?.PGHOST).toBe(stack.endpoint);
    expect((await iam().send(new ListAttachedRolePoliciesCommand({ RoleName: 'worker-role' }))).AttachedPolicies).toEqual([]);
    expect(await groupNamed(sandbox, 'own-client-sg')).toBeUndefined();
    expect(await clientChecksOf('own', 'worker')).toEqual(allPass);

    const revoked = await cli('revoke', '--name', 'own', '--lambda', 'worker');

    expect(revoked.code, revoked.stderr).toBe(0);
    expect(changes(before, await readAccountInventory(sandbox))).toEqual([]);
  });

  it('records what it changed on the function, its role and the proxy\'s group', async () => {
    const stack = await upStack('rec');
    await createRole(sandbox, 'api-role');
    await createFunction(sandbox, 'api', { roleArn: 'arn:aws:iam::123456789012:role/api-role', environment: { PGSSLMODE: 'require' } });

    await cli('grant', '--name', 'rec', '--lambda', 'api', '--attach-vpc', '--overwrite-env');

    const { Tags } = await lambda().send(new ListTagsCommand({ Resource: 'arn:aws:lambda:us-east-1:123456789012:function:api' }));
    expect(Tags).toEqual({
      team: 'payments',
      'rdsproxy-setup:client:rec': 'postgres',
      'rdsproxy-setup:client:rec:env:PGHOST': `+${stack.endpoint}`,
      'rdsproxy-setup:client:rec:env:PGPORT': '+5432',
      'rdsproxy-setup:client:rec:env:PGUSER': '+postgres',
      'rdsproxy-setup:client:rec:env:PGDATABASE': '+app',
      'rdsproxy-setup:client:rec:env:PGSSLMODE': '=verify-full=require',
      'rdsproxy-setup:client:rec:vpc': 'attached',
    });
    const roleTags = (await iam().send(new ListRoleTagsCommand({ RoleName: 'api-role' }))).Tags!;
    expect(roleTags).toContainEqual({ Key: 'rdsproxy-setup:client:rec:vpc-access', Value: 'attached' });
    const { SecurityGroups } = await ec2().send(new DescribeSecurityGroupsCommand({ GroupIds: [stack.proxyGroupId] }));
    expect(SecurityGroups![0]!.Tags).toContainEqual({ Key: 'rdsproxy-setup:client:lambda:api', Value: 'postgres' });
    expect((await proxyIngress(stack))[0]!.UserIdGroupPairs![0]!.Description).toBe('rdsproxy-setup:rec client lambda:api');
  });

  it('a second time changes nothing, with no write at all', async () => {
    await upStack('again');
    await createRole(sandbox, 'api-role');
    await createFunction(sandbox, 'api', { roleArn: 'arn:aws:iam::123456789012:role/api-role' });
    await cli('grant', '--name', 'again', '--lambda', 'api', '--attach-vpc');
    const before = await readAccountInventory(sandbox);

    const again = await cli('grant', '--name', 'again', '--lambda', 'api', '--attach-vpc', '--verbose');

    expect(again.code, again.stderr).toBe(0);
    expect(writeCalls(again.stderr)).toEqual([]);
    expect(again.stdout).toContain('Lambda function api was already a client of stack again for database user "postgres": nothing changed.');
    expect(changes(before, await readAccountInventory(sandbox))).toEqual([]);
  });

  it('keeps a different PG* value unless told to overwrite it, says so, and the client checks show its effect', async () => {
    const stack = await upStack('keep');
    const roleArn = await createRole(sandbox, 'api-role', { eniPermissions: true });
    const groupId = await createGroup(sandbox, 'api-sg', stack.vpcId);
    await createFunction(sandbox, 'api', { roleArn, vpc: { subnetIds: [stack.subnetIds[0]!], groupIds: [groupId] }, environment: { PGUSER: 'reporting' } });

    const granted = await cli('grant', '--name', 'keep', '--lambda', 'api');

    expect(granted.code).toBe(1);
    expect(granted.stdout).toContain('PGUSER has another value, kept (pass --overwrite-env to replace it).');
    const fn = await lambda().send(new GetFunctionConfigurationCommand({ FunctionName: 'api' }));
    expect(fn.Environment?.Variables?.PGUSER).toBe('reporting');
    expect((await clientChecksOf('keep', 'api'))['client.user-matches']).toBe('fail');
  });

  it("prints no secret, in any output: neither the master password nor the function's own variables", async () => {
    await upStack('quiet');
    await createRole(sandbox, 'api-role');
    // grant sends the function's whole environment back to Lambda, the user's own variables included.
    const apiKey = `sk_live_${randomUUID()}`;
    await createFunction(sandbox, 'api', { roleArn: 'arn:aws:iam::123456789012:role/api-role', environment: { STRIPE_API_KEY: apiKey } });
    const { SecretString } = await new SecretsManagerClient(sandbox.clientConfig).send(new GetSecretValueCommand({ SecretId: 'rdsproxy-setup/quiet/master' }));
    const password = (JSON.parse(SecretString!) as { password: string }).password;

    const outputs = [
      await cli('grant', '--name', 'quiet', '--lambda', 'api', '--attach-vpc', '--verbose'),
      await cli('grant', '--name', 'quiet', '--lambda', 'api', '--attach-vpc', '--json'),
      await cli('status', '--name', 'quiet', '--verbose'),
      await cli('revoke', '--name', 'quiet', '--lambda', 'api', '--verbose', '--json'),
    ];

    for (const { code, stdout, stderr } of outputs) {
      expect(code, stderr).toBe(0);
      expect(stdout + stderr).not.toContain(password);
      expect(stdout + stderr).not.toContain(apiKey);
    }
  });
});
