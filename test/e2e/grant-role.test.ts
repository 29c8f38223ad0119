import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetRolePolicyCommand, IAMClient, ListRoleTagsCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { readAccountInventory } from './support/account-inventory.js';
import { runCli } from './support/cli.js';
import { createGroup, createRole, stackFacts } from './support/client-fixtures.js';
import { changes } from './support/inventory-changes.js';
import { useSandbox } from './support/sandbox.js';

describe('grant --role, then revoke --role', () => {
  const sandbox = useSandbox();
  const cli = (...args: string[]) => runCli(args, sandbox.env);

  it('gives an ECS task\'s role rds-db:connect on the proxy\'s id and admits its group; revoke leaves the account as it was', async () => {
    expect((await cli('up', '--name', 'ecs')).code).toBe(0);
    const stack = await stackFacts(sandbox, 'ecs');
    await createRole(sandbox, 'task-role', { trustedService: 'ecs-tasks.amazonaws.com', inline: { s3: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } } });
    const groupId = await createGroup(sandbox, 'task-sg', stack.vpcId);
    const before = await readAccountInventory(sandbox);

    const granted = await cli('grant', '--name', 'ecs', '--role', 'task-role', '--client-sg', groupId, '--json');

    expect(granted.code, granted.stderr).toBe(0);
    const iam = new IAMClient(sandbox.clientConfig);
    const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName: 'task-role', PolicyName: 'rdsproxy-setup-ecs-connect' }));
    expect(JSON.parse(decodeURIComponent(PolicyDocument!)).Statement[0].Resource).toEqual([`arn:aws:rds-db:us-east-1:123456789012:dbuser:${stack.resourceId}/postgres`]);
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'task-role' }))).Tags).toEqual(
      expect.arrayContaining([
        { Key: 'rdsproxy-setup:client:ecs', Value: 'postgres' },
        { Key: 'rdsproxy-setup:client:ecs:client-sg', Value: groupId },
      ]),
    );
    const { SecurityGroups } = await new EC2Client(sandbox.clientConfig).send(new DescribeSecurityGroupsCommand({ GroupIds: [stack.proxyGroupId] }));
    expect(SecurityGroups![0]!.IpPermissions!.flatMap((p) => p.UserIdGroupPairs!.map((g) => g.GroupId))).toEqual([groupId]);
    const report = JSON.parse(granted.stdout) as { client: unknown; checks: { id: string; status: string }[] };
    expect(report.client).toEqual({ kind: 'role', name: 'task-role', user: 'postgres' });
    expect(report.checks.find((c) => c.id === 'sg.client-to-proxy')?.status).toBe('pass');
    expect(report.checks.find((c) => c.id === 'client.user-matches')?.status).toBe('pass');

    const status = JSON.parse((await cli('status', '--name', 'ecs', '--json')).stdout) as { clients: unknown };
    expect(status.clients).toEqual([
      {
        kind: 'role',
        name: 'task-role',
        user: 'postgres',
        changes: [
          `rds-db:connect for postgres in rdsproxy-setup-ecs-connect of IAM role task-role`,
          `client security group ${groupId}`,
          `ingress tcp/5432 from ${groupId}`,
        ],
      },
    ]);

    const revoked = await cli('revoke', '--name', 'ecs', '--role', 'arn:aws:iam::123456789012:role/task-role');

    expect(revoked.code, revoked.stderr).toBe(0);
    expect(changes(before, await readAccountInventory(sandbox))).toEqual([]);
  });

  it('without --client-sg grants only the permission, and says the network path is the user\'s', async () => {
    expect((await cli('up', '--name', 'iamonly')).code).toBe(0);
    await createRole(sandbox, 'batch-role', { trustedService: 'ec2.amazonaws.com' });
    const before = await readAccountInventory(sandbox);

    const granted = await cli('grant', '--name', 'iamonly', '--role', 'batch-role');

    expect(granted.code, granted.stderr).toBe(0);
    expect(granted.stdout).toContain('No --client-sg: only the permission was granted');
    expect((await readAccountInventory(sandbox)).securityGroups).toEqual(
      Object.fromEntries(
        Object.entries(before.securityGroups).map(([id, g]) => [
          id,
          g.GroupName === 'iamonly-proxy-sg' ? { ...g, Tags: { ...(g.Tags as object), 'rdsproxy-setup:client:role:batch-role': 'postgres' } } : g,
        ]),
      ),
    );
    expect((await cli('revoke', '--name', 'iamonly', '--role', 'batch-role')).code).toBe(0);
    expect(changes(before, await readAccountInventory(sandbox))).toEqual([]);
  });
});
