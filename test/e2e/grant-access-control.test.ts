import { beforeAll, describe, expect, it } from 'vitest';
import { actionsOnly, useAccessControl, type PolicyDocument, type Principal } from './support/access-control.js';
import { runCli } from './support/cli.js';
import { createFunction, createGroup, createRole, stackFacts } from './support/client-fixtures.js';

describe('grant, revoke, status and teardown of a stack with clients, each as a user holding exactly its iam-policy', () => {
  const acl = useAccessControl();
  const users = new Map<string, Principal>();
  let taskGroup: string;

  async function userFor(command: string): Promise<Principal> {
    if (!users.has(command)) {
      const printed = await runCli(['iam-policy', '--for', command, '--region', 'us-east-1', '--json'], {});
      users.set(command, await acl.userWith(actionsOnly(JSON.parse(printed.stdout) as PolicyDocument)));
    }
    return users.get(command)!;
  }
  const as = async (command: string, ...args: string[]) => runCli([command, '--name', 'acl', ...args], (await userFor(command)).env);

  beforeAll(async () => {
    expect((await as('up')).code).toBe(0);
    // The clients are the user's own, made with the admin's credentials.
    const admin = { ...acl.sandbox, clientConfig: acl.admin.clientConfig };
    const stack = await stackFacts(admin, 'acl');
    const groupId = await createGroup(admin, 'api-sg', stack.vpcId, { egress: 'https-only' });
    const roleArn = await createRole(admin, 'api-role', { eniPermissions: true });
    await createFunction(admin, 'api', { roleArn, vpc: { subnetIds: [stack.subnetIds[0]!], groupIds: [groupId] } });
    await createRole(admin, 'task-role', { trustedService: 'ecs-tasks.amazonaws.com' });
    taskGroup = await createGroup(admin, 'task-sg', stack.vpcId);
  });

  it('grant --for grant wires a function and a role, its client checks passing', async () => {
    const fn = await as('grant', '--lambda', 'api', '--json');
    const role = await as('grant', '--role', 'task-role', '--client-sg', taskGroup);

    expect(fn.code, fn.stderr).toBe(0);
    expect(role.code, role.stderr).toBe(0);
    const checks = (JSON.parse(fn.stdout) as { checks: { id: string; status: string }[] }).checks;
    expect(checks.filter((c) => c.status !== 'pass').map((c) => c.id)).toEqual([]);
  });

  it('status --for status lists both clients', async () => {
    const status = await as('status', '--json');

    expect(status.code, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as { clients: { name: string }[] }).clients.map((c) => c.name)).toEqual(['api', 'task-role']);
  });

  it('revoke --for revoke undoes a client', async () => {
    const revoke = await as('revoke', '--role', 'task-role');

    expect(revoke.code, revoke.stderr).toBe(0);
    expect(revoke.stdout).toContain('is no longer a client of stack');
  });

  it('teardown --for teardown revokes the clients left, then deletes the stack', async () => {
    const teardown = await as('teardown', '--yes');

    expect(teardown.code, teardown.stderr).toBe(0);
    expect(teardown.stderr).toContain('Lambda function api revoked');
  });
});
