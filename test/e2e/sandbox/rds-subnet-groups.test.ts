import {
  CreateDBInstanceCommand,
  CreateDBSubnetGroupCommand,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DeleteDBSubnetGroupCommand,
  DescribeDBSubnetGroupsCommand,
  ModifyDBSubnetGroupCommand,
} from '@aws-sdk/client-rds';
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../support/sandbox.js';
import { failureOf, rdsFixtures } from './rds-fixtures.js';

describe('sandbox: DB subnet groups', () => {
  const sandbox = useSandbox();
  const { rds, subnetIds, createSubnetGroup, createCluster } = rdsFixtures(sandbox);
  const deleteGroup = (name: string) => rds().send(new DeleteDBSubnetGroupCommand({ DBSubnetGroupName: name }));
  const groupNames = async () =>
    ((await rds().send(new DescribeDBSubnetGroupsCommand({}))).DBSubnetGroups ?? []).map((g) => g.DBSubnetGroupName);

  it('refuses to create a group under a name that exists, and keeps the first one', async () => {
    await createSubnetGroup('taken');

    const failure = await failureOf(
      rds().send(
        new CreateDBSubnetGroupCommand({ DBSubnetGroupName: 'taken', DBSubnetGroupDescription: 'second', SubnetIds: await subnetIds() }),
      ),
    );

    expect(failure).toMatchObject({ name: 'DBSubnetGroupAlreadyExistsFault', status: 400, message: expect.stringContaining('taken') });
    const { DBSubnetGroups } = await rds().send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: 'taken' }));
    expect(DBSubnetGroups![0]!.DBSubnetGroupDescription).toBe('test');
  });

  it('refuses to delete a group that a DB cluster uses, naming the cluster', async () => {
    await createSubnetGroup('cluster-net');
    await createCluster('uses-group', 'cluster-net');

    const failure = await failureOf(deleteGroup('cluster-net'));

    expect(failure).toMatchObject({ name: 'InvalidDBSubnetGroupStateFault', status: 400, message: expect.stringContaining('uses-group') });
    expect(await groupNames()).toContain('cluster-net');
  });

  it('refuses to delete a group that a DB instance uses, naming the instance', async () => {
    await createSubnetGroup('instance-net');
    await rds().send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'standalone',
        Engine: 'postgres',
        DBInstanceClass: 'db.t4g.micro',
        MasterUsername: 'postgres',
        MasterUserPassword: 'not-a-real-password-1',
        AllocatedStorage: 20,
        DBSubnetGroupName: 'instance-net',
      }),
    );

    const failure = await failureOf(deleteGroup('instance-net'));

    expect(failure).toMatchObject({ name: 'InvalidDBSubnetGroupStateFault', status: 400, message: expect.stringContaining('standalone') });
  });

  it('deletes the group once the cluster that used it is gone', async () => {
    await createSubnetGroup('freed');
    await createCluster('short-lived', 'freed');
    await rds().send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'short-lived', SkipFinalSnapshot: true }));

    await deleteGroup('freed');

    expect(await groupNames()).not.toContain('freed');
  });

  it('deletes the group once the instance that used it is gone', async () => {
    await createSubnetGroup('freed-by-instance');
    await rds().send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'gone-soon',
        Engine: 'postgres',
        DBInstanceClass: 'db.t4g.micro',
        MasterUsername: 'postgres',
        MasterUserPassword: 'not-a-real-password-1',
        AllocatedStorage: 20,
        DBSubnetGroupName: 'freed-by-instance',
      }),
    );
    await rds().send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: 'gone-soon', SkipFinalSnapshot: true }));

    await deleteGroup('freed-by-instance');

    expect(await groupNames()).not.toContain('freed-by-instance');
  });

  it('keeps a group whose subnets are changed, with the new subnets', async () => {
    const ec2 = new EC2Client(sandbox.clientConfig);
    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }));
    ec2.destroy();
    const [first, second, third] = Subnets!.map((s) => s.SubnetId!);
    await rds().send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: 'changed', DBSubnetGroupDescription: 'test', SubnetIds: [first!, second!] }));

    await rds().send(new ModifyDBSubnetGroupCommand({ DBSubnetGroupName: 'changed', SubnetIds: [first!, third!] }));

    const { DBSubnetGroups } = await rds().send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: 'changed' }));
    expect(DBSubnetGroups![0]!.Subnets!.map((s) => s.SubnetIdentifier).sort()).toEqual([first, third].sort());
    expect(DBSubnetGroups![0]!.DBSubnetGroupDescription).toBe('test');
  });

  it('still answers DBSubnetGroupNotFoundFault for a group that does not exist', async () => {
    expect(await failureOf(deleteGroup('never-made'))).toMatchObject({ name: 'DBSubnetGroupNotFoundFault', status: 404 });
  });
});
