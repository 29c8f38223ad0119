import {
  DescribeDBClusterSnapshotsCommand,
  DescribeDBProxiesCommand,
  RemoveTagsFromResourceCommand,
} from '@aws-sdk/client-rds';
import { CreateSecurityGroupCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { CreateSecretCommand, DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useSandbox } from './support/sandbox.js';
import { stackReads } from './support/stack-reads.js';

describe('teardown', () => {
  const sandbox = useSandbox();
  const reads = stackReads(sandbox);
  const cli = (...args: string[]) => runCli(args, sandbox.env);

  it('deletes the stack, keeps a named final snapshot and a recoverable secret, and leaves untagged resources alone', async () => {
    expect((await cli('up', '--name', 'gone')).code).toBe(0);
    const { Vpcs } = await reads.ec2().send(new DescribeVpcsCommand({}));
    const unrelatedSg = await reads.ec2().send(
      new CreateSecurityGroupCommand({ GroupName: 'unrelated-sg', Description: 'not ours', VpcId: Vpcs!.find((v) => v.IsDefault)!.VpcId }),
    );
    await reads.secrets().send(new CreateSecretCommand({ Name: 'unrelated-secret', SecretString: '{}' }));

    const result = await cli('teardown', '--name', 'gone', '--yes', '--json');

    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    const snapshot = report.kept.find((k: { kind: string }) => k.kind === 'snapshot');
    expect(snapshot.id).toMatch(/^gone-final-\d{8}t\d{6}z$/);
    expect(report.kept).toContainEqual({ kind: 'secret', id: 'rdsproxy-setup/gone/master' });
    expect(report.deleted.map((d: { step: string }) => d.step).sort()).toEqual(
      ['cluster', 'cluster-sg', 'instance', 'proxy', 'proxy-sg', 'role', 'secret', 'subnet-group', 'target'].sort(),
    );
    const { DBClusterSnapshots } = await reads.rds().send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: snapshot.id }));
    expect(DBClusterSnapshots![0]!.DBClusterIdentifier).toBe('gone-cluster');
    const secret = await reads.secrets().send(new DescribeSecretCommand({ SecretId: 'rdsproxy-setup/gone/master' }));
    expect(secret.DeletedDate).toBeInstanceOf(Date);
    expect(await reads.clusterIds()).toEqual([]);
    expect(await reads.proxyNames()).toEqual([]);
    expect(await reads.securityGroupNames()).toEqual(['unrelated-sg']);
    expect(unrelatedSg.GroupId).toMatch(/^sg-/);
    expect(await reads.secretNames()).toContain('unrelated-secret');
    await expect(
      new IAMClient(sandbox.clientConfig).send(new GetRoleCommand({ RoleName: 'rdsproxy-gone-us-east-1' })),
    ).rejects.toThrow();
  });

  it('exits 0 and says so when nothing is left, still listing the secret in its recovery window', async () => {
    await cli('up', '--name', 'twice');
    expect((await cli('teardown', '--name', 'twice', '--yes')).code).toBe(0);

    const again = await cli('teardown', '--name', 'twice', '--yes');
    const againJson = await cli('teardown', '--name', 'twice', '--yes', '--json');

    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to delete');
    expect(again.stdout).toContain('Kept secret rdsproxy-setup/twice/master: already scheduled for deletion');
    expect(JSON.parse(againJson.stdout)).toEqual({
      stack: 'twice',
      deleted: [],
      kept: [{ kind: 'secret', id: 'rdsproxy-setup/twice/master' }],
      left: [],
    });
  });

  it('takes no snapshot and deletes the secret at once when told to', async () => {
    await cli('up', '--name', 'nokeep');

    const result = await cli('teardown', '--name', 'nokeep', '--yes', '--skip-final-snapshot', '--force-delete-secret', '--json');

    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).kept).toEqual([]);
    const { DBClusterSnapshots } = await reads.rds().send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'manual' }));
    expect(DBClusterSnapshots).toEqual([]);
    expect(await reads.secretNames()).not.toContain('rdsproxy-setup/nokeep/master');
  });

  it('deletes nothing and exits 1 when one of the stack names has lost its tag', async () => {
    await cli('up', '--name', 'mixed');
    const { DBProxies } = await reads.rds().send(new DescribeDBProxiesCommand({ DBProxyName: 'mixed-proxy' }));
    await reads.rds().send(
      new RemoveTagsFromResourceCommand({ ResourceName: DBProxies![0]!.DBProxyArn, TagKeys: ['rdsproxy-setup:stack'] }),
    );

    const result = await cli('teardown', '--name', 'mixed', '--yes');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('mixed-proxy');
    expect(await reads.clusterIds()).toEqual(['mixed-cluster']);
    expect(await reads.proxyNames()).toEqual(['mixed-proxy']);
  });
});
