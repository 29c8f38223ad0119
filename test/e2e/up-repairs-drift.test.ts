import {
  DescribeDBProxiesCommand,
  ModifyDBClusterCommand,
  ModifyDBProxyCommand,
  type DBProxy,
  type ModifyDBProxyCommandInput,
} from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { readAccountInventory } from './support/account-inventory.js';
import { changes } from './support/inventory-changes.js';
import { runCli } from './support/cli.js';
import { useSandbox } from './support/sandbox.js';
import { stackReads, writeCalls } from './support/stack-reads.js';

type Row = { step: string; action: string };
const actions = (stdout: string) => Object.fromEntries((JSON.parse(stdout).resources as Row[]).map((r) => [r.step, r.action]));

describe('up puts back proxy and cluster settings someone changed by hand', () => {
  const sandbox = useSandbox();
  const reads = stackReads(sandbox);
  const up = (stack: string) => runCli(['up', '--name', stack, '--json', '--verbose'], sandbox.env);
  const inventory = () => readAccountInventory(sandbox);

  /**
   * Builds the stack, changes its proxy with ModifyDBProxy (drift picks the members from the proxy
   * as `up` made it), runs `up` again; returns what that run changed back.
   */
  async function repairProxy(stack: string, drift: (proxy: DBProxy) => Omit<ModifyDBProxyCommandInput, 'DBProxyName'>) {
    expect((await up(stack)).code).toBe(0);
    const made = await inventory();
    const { DBProxies } = await reads.rds().send(new DescribeDBProxiesCommand({ DBProxyName: `${stack}-proxy` }));
    await reads.rds().send(new ModifyDBProxyCommand({ DBProxyName: `${stack}-proxy`, ...drift(DBProxies![0]!) }));
    const drifted = await inventory();

    const repaired = await up(stack);

    expect(repaired.code, repaired.stderr).toBe(0);
    expect(actions(repaired.stdout).proxy).toBe('updated');
    // The repair, inside the stack's lease (taken first, released last).
    expect(writeCalls(repaired.stderr)).toEqual(['ssm.PutParameter', 'rds.ModifyDBProxy', 'ssm.DeleteParameter']);
    const after = await inventory();
    expect(after).toEqual(made);
    return changes(drifted, after);
  }

  it('turns TLS back on', async () => {
    expect(await repairProxy('tls', () => ({ RequireTLS: false }))).toEqual([
      { path: ['proxies', 'tls-proxy', 'RequireTLS'], before: false, after: true },
    ]);
  });

  it('puts the idle client timeout back to 1800 s', async () => {
    expect(await repairProxy('idle', () => ({ IdleClientTimeout: 600 }))).toEqual([
      { path: ['proxies', 'idle-proxy', 'IdleClientTimeout'], before: 600, after: 1800 },
    ]);
  });

  it('turns debug logging back off', async () => {
    expect(await repairProxy('debug', () => ({ DebugLogging: true }))).toEqual([
      { path: ['proxies', 'debug-proxy', 'DebugLogging'], before: true, after: false },
    ]);
  });

  it('requires IAM authentication again on the auth entry of the stack secret', async () => {
    let entry: NonNullable<DBProxy['Auth']>[number] = {};

    const changed = await repairProxy('iamauth', (proxy) => {
      entry = proxy.Auth![0]!;
      return { Auth: [{ AuthScheme: entry.AuthScheme, SecretArn: entry.SecretArn, Description: entry.Description, IAMAuth: 'DISABLED' }] };
    });

    expect(changed).toEqual([
      {
        path: ['proxies', 'iamauth-proxy', 'Auth'],
        before: [{ AuthScheme: 'SECRETS', Description: entry.Description!, IAMAuth: 'DISABLED', SecretArn: entry.SecretArn! }],
        after: [{ AuthScheme: 'SECRETS', Description: entry.Description!, IAMAuth: 'REQUIRED', SecretArn: entry.SecretArn! }],
      },
    ]);
  });

  it("turns the cluster's IAM database authentication back on and reports the cluster updated", async () => {
    await up('dbauth');
    const made = await inventory();
    await reads.rds().send(
      new ModifyDBClusterCommand({ DBClusterIdentifier: 'dbauth-cluster', EnableIAMDatabaseAuthentication: false, ApplyImmediately: true }),
    );
    const drifted = await inventory();

    const repaired = await up('dbauth');

    expect(repaired.code, repaired.stderr).toBe(0);
    expect(actions(repaired.stdout).cluster).toBe('updated');
    expect(writeCalls(repaired.stderr)).toEqual(['ssm.PutParameter', 'rds.ModifyDBCluster', 'ssm.DeleteParameter']);
    const after = await inventory();
    expect(changes(drifted, after)).toEqual([
      { path: ['clusters', 'dbauth-cluster', 'IAMDatabaseAuthenticationEnabled'], before: false, after: true },
    ]);
    expect(after).toEqual(made);
  });
});
