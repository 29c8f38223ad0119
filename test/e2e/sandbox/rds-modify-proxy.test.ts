import { DescribeDBProxiesCommand, ModifyDBProxyCommand } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../support/sandbox.js';
import { failureOf, rdsFixtures, SECRET_ARN } from './rds-fixtures.js';

describe('sandbox: ModifyDBProxy and DefaultAuthScheme', () => {
  const sandbox = useSandbox();
  const { rds, createProxy } = rdsFixtures(sandbox);
  const describeProxy = async (name: string) =>
    (await rds().send(new DescribeDBProxiesCommand({ DBProxyName: name }))).DBProxies![0]!;

  it('changes TLS, idle timeout and debug logging, answers modifying, and later reads show the new values', async () => {
    await createProxy('settings', { RequireTLS: true, IdleClientTimeout: 1800, DebugLogging: false });

    const { DBProxy } = await rds().send(
      new ModifyDBProxyCommand({ DBProxyName: 'settings', RequireTLS: false, IdleClientTimeout: 600, DebugLogging: true }),
    );

    expect(DBProxy).toMatchObject({ DBProxyName: 'settings', Status: 'modifying', RequireTLS: false, IdleClientTimeout: 600, DebugLogging: true });
    expect(await describeProxy('settings')).toMatchObject({ Status: 'available', RequireTLS: false, IdleClientTimeout: 600, DebugLogging: true });
  });

  it('keeps every member that the request leaves out', async () => {
    const before = await createProxy('partial', { RequireTLS: true, IdleClientTimeout: 900, DebugLogging: true });

    await rds().send(new ModifyDBProxyCommand({ DBProxyName: 'partial', IdleClientTimeout: 120 }));

    const after = await describeProxy('partial');
    expect(after).toMatchObject({ RequireTLS: true, IdleClientTimeout: 120, DebugLogging: true, RoleArn: before.RoleArn });
    expect(after.Auth).toEqual(before.Auth);
    expect(after.VpcSecurityGroupIds).toEqual(before.VpcSecurityGroupIds);
  });

  it('replaces the whole auth list with the one given', async () => {
    const otherSecret = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app-user-XyZ123';
    await createProxy('auth', {
      Auth: [
        { AuthScheme: 'SECRETS', IAMAuth: 'REQUIRED', SecretArn: SECRET_ARN },
        { AuthScheme: 'SECRETS', IAMAuth: 'REQUIRED', SecretArn: otherSecret },
      ],
    });

    await rds().send(
      new ModifyDBProxyCommand({ DBProxyName: 'auth', Auth: [{ AuthScheme: 'SECRETS', IAMAuth: 'DISABLED', SecretArn: SECRET_ARN }] }),
    );

    expect((await describeProxy('auth')).Auth).toEqual([{ AuthScheme: 'SECRETS', IAMAuth: 'DISABLED', SecretArn: SECRET_ARN }]);
  });

  it('changes the role and the security groups', async () => {
    await createProxy('network');

    await rds().send(
      new ModifyDBProxyCommand({
        DBProxyName: 'network',
        RoleArn: 'arn:aws:iam::123456789012:role/another-role',
        SecurityGroups: ['sg-0123456789abcdef0'],
      }),
    );

    expect(await describeProxy('network')).toMatchObject({
      RoleArn: 'arn:aws:iam::123456789012:role/another-role',
      VpcSecurityGroupIds: ['sg-0123456789abcdef0'],
    });
  });

  it('renames the proxy: the new name finds it with the same ARN, the old name no longer does', async () => {
    const before = await createProxy('old-name');

    await rds().send(new ModifyDBProxyCommand({ DBProxyName: 'old-name', NewDBProxyName: 'new-name' }));

    const renamed = await describeProxy('new-name');
    expect(renamed.DBProxyArn).toBe(before.DBProxyArn);
    expect(renamed.Endpoint).toMatch(/^new-name\./);
    expect(await failureOf(describeProxy('old-name'))).toMatchObject({ name: 'DBProxyNotFoundFault', status: 404 });
  });

  it('refuses a new name that another proxy has with DBProxyAlreadyExistsFault', async () => {
    await createProxy('first');
    await createProxy('second');

    const failure = await failureOf(rds().send(new ModifyDBProxyCommand({ DBProxyName: 'first', NewDBProxyName: 'second' })));

    expect(failure).toMatchObject({ name: 'DBProxyAlreadyExistsFault', status: 400 });
    expect((await describeProxy('first')).DBProxyName).toBe('first');
  });

  it('answers DBProxyNotFoundFault (404) for a proxy that does not exist', async () => {
    const failure = await failureOf(rds().send(new ModifyDBProxyCommand({ DBProxyName: 'missing', RequireTLS: true })));

    expect(failure).toMatchObject({ name: 'DBProxyNotFoundFault', status: 404 });
  });

  it('reports DefaultAuthScheme NONE for a proxy created without one', async () => {
    const created = await createProxy('plain');

    expect(created.DefaultAuthScheme).toBe('NONE');
    expect((await describeProxy('plain')).DefaultAuthScheme).toBe('NONE');
  });

  it('creates an IAM_AUTH proxy without an auth list and reports its scheme', async () => {
    const created = await createProxy('end-to-end-iam', { DefaultAuthScheme: 'IAM_AUTH', Auth: undefined });

    expect(created.DefaultAuthScheme).toBe('IAM_AUTH');
    expect(await describeProxy('end-to-end-iam')).toMatchObject({ DefaultAuthScheme: 'IAM_AUTH', Auth: [] });
  });

  it('changes DefaultAuthScheme with ModifyDBProxy', async () => {
    await createProxy('switch');

    await rds().send(new ModifyDBProxyCommand({ DBProxyName: 'switch', DefaultAuthScheme: 'IAM_AUTH' }));

    expect((await describeProxy('switch')).DefaultAuthScheme).toBe('IAM_AUTH');
  });
});
