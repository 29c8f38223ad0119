import { GetFunctionConfigurationCommand, LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAccountInventory } from './support/account-inventory.js';
import { runCli } from './support/cli.js';
import { createFunction, createGroup, createRole, stackFacts, type StackFacts } from './support/client-fixtures.js';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js';
import { changes } from './support/inventory-changes.js';
import { useSandbox } from './support/sandbox.js';

/** Each write a grant makes, and the client that makes it: a function placed with --attach-vpc, or one whose group may not reach the proxy yet. */
const WRITES: { operation: string; client: 'attach' | 'own-group' }[] = [
  { operation: 'CreateTags', client: 'attach' },
  { operation: 'TagResource', client: 'attach' },
  { operation: 'TagRole', client: 'attach' },
  { operation: 'CreateSecurityGroup', client: 'attach' },
  { operation: 'AuthorizeSecurityGroupIngress', client: 'attach' },
  { operation: 'PutRolePolicy', client: 'attach' },
  { operation: 'AttachRolePolicy', client: 'attach' },
  { operation: 'UpdateFunctionConfiguration', client: 'attach' },
  { operation: 'AuthorizeSecurityGroupEgress', client: 'own-group' },
];

describe('a fault at each write of grant', () => {
  const sandbox = useSandbox({ resetEachTest: false, env: { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' } });
  let proxy: FaultProxy;
  let stack: StackFacts;
  let clients = 0;

  beforeAll(async () => {
    expect((await runCli(['up', '--name', 'faults'], sandbox.env)).code).toBe(0);
    stack = await stackFacts(sandbox, 'faults');
    proxy = await startFaultProxy(sandbox.endpoint, sandbox.env);
  });
  afterAll(() => proxy?.stop());

  /** A new function as the case needs it, with a role lacking the network-interface permissions. */
  async function newClient(kind: 'attach' | 'own-group'): Promise<{ name: string; args: string[] }> {
    const name = `fn-${++clients}`;
    const roleArn = await createRole(sandbox, `${name}-role`, { eniPermissions: kind === 'own-group' });
    if (kind === 'attach') {
      await createFunction(sandbox, name, { roleArn, environment: { LOG_LEVEL: 'debug' } });
      return { name, args: ['--lambda', name, '--attach-vpc'] };
    }
    const groupId = await createGroup(sandbox, `${name}-sg`, stack.vpcId, { egress: 'https-only' });
    await createFunction(sandbox, name, { roleArn, vpc: { subnetIds: [stack.subnetIds[0]!], groupIds: [groupId] } });
    return { name, args: ['--lambda', name] };
  }

  it.each(WRITES)('refused at $operation leaves the account as it was, and says what it undid', async ({ operation, client }) => {
    const { args } = await newClient(client);
    const before = await readAccountInventory(sandbox);
    proxy.clear();
    proxy.inject({ operation, fault: { kind: 'refuse', code: 'InternalFailure', status: 400, message: `injected at ${operation}` } });

    const result = await runCli(['grant', '--name', 'faults', ...args, '--json'], proxy.env);

    expect(proxy.calls().filter((c) => c.fault)).toEqual([{ operation, fault: 'refuse' }]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(`injected at ${operation}`);
    const document = JSON.parse(result.stdout) as { rollback: { undone: string[]; left: string[] } };
    expect(document.rollback.left).toEqual([]);
    expect(document.rollback.undone.length).toBeGreaterThan(0);
    expect(changes(before, await readAccountInventory(sandbox))).toEqual([]);
  });

  it('makes every one of these writes when nothing fails', async () => {
    const attach = await newClient('attach');
    const own = await newClient('own-group');
    proxy.clear();

    expect((await runCli(['grant', '--name', 'faults', ...attach.args], proxy.env)).code).toBe(0);
    expect((await runCli(['grant', '--name', 'faults', ...own.args], proxy.env)).code).toBe(0);

    const written = new Set(proxy.writes().map((c) => c.operation));
    expect(WRITES.map((w) => w.operation).filter((op) => !written.has(op))).toEqual([]);
  });
});

describe('grant while another update of the function is in progress', () => {
  // Each configuration update stays InProgress for 6 s (sandbox/additions/lambda_update_status.py):
  // long enough that grant, a new process that first reads the stack and takes its lease, still meets it.
  const sandbox = useSandbox({ env: { SANDBOX_LAMBDA_UPDATE_SECONDS: '6' } });

  it('waits for it (Lambda answers ResourceConflictException meanwhile) and then updates the function', async () => {
    expect((await runCli(['up', '--name', 'busy'], sandbox.env)).code).toBe(0);
    const stack = await stackFacts(sandbox, 'busy');
    const roleArn = await createRole(sandbox, 'api-role', { eniPermissions: true });
    const groupId = await createGroup(sandbox, 'api-sg', stack.vpcId);
    await createFunction(sandbox, 'api', { roleArn, vpc: { subnetIds: [stack.subnetIds[0]!], groupIds: [groupId] } });
    const lambda = new LambdaClient(sandbox.clientConfig);
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'api', Description: 'deployed by CI' }));

    const result = await runCli(['grant', '--name', 'busy', '--lambda', 'api', '--verbose'], sandbox.env);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/lambda\.UpdateFunctionConfiguration .* → ResourceConflictException/);
    expect(result.stderr).toContain('another update is in progress; retrying');
    const fn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'api' }));
    expect(fn.Environment?.Variables?.PGHOST).toBe(stack.endpoint);
    expect(fn.Description).toBe('deployed by CI');
  });
});
