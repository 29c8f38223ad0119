import { DescribeDBClustersCommand, ModifyDBClusterCommand } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../support/sandbox.js';
import { rdsFixtures } from './rds-fixtures.js';

describe('sandbox: ModifyDBCluster turns IAM database authentication on and off', () => {
  const sandbox = useSandbox();
  const { rds, createCluster } = rdsFixtures(sandbox);
  const iamAuth = async (id: string) =>
    (await rds().send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0]!.IAMDatabaseAuthenticationEnabled;
  const setIamAuth = (id: string, on: boolean) =>
    rds().send(new ModifyDBClusterCommand({ DBClusterIdentifier: id, EnableIAMDatabaseAuthentication: on, ApplyImmediately: true }));

  it('turns it off, in the answer and on later reads', async () => {
    await createCluster('iam-off');
    await setIamAuth('iam-off', true);

    const { DBCluster } = await setIamAuth('iam-off', false);

    expect(DBCluster!.IAMDatabaseAuthenticationEnabled).toBe(false);
    expect(await iamAuth('iam-off')).toBe(false);
  });

  it('turns it on for a cluster created without it', async () => {
    await createCluster('iam-on');
    expect(await iamAuth('iam-on')).toBe(false);

    await setIamAuth('iam-on', true);

    expect(await iamAuth('iam-on')).toBe(true);
  });

  it('leaves it as it is when the request does not mention it', async () => {
    await createCluster('iam-kept');
    await setIamAuth('iam-kept', true);

    await rds().send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'iam-kept', DeletionProtection: true, ApplyImmediately: true }));

    expect(await iamAuth('iam-kept')).toBe(true);
  });
});
