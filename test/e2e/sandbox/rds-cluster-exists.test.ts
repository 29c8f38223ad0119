import { CreateDBClusterCommand, DescribeDBClustersCommand } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../support/sandbox.js';
import { failureOf, rdsFixtures } from './rds-fixtures.js';

describe('sandbox: CreateDBCluster under an identifier that is taken', () => {
  const sandbox = useSandbox();
  const { rds, createCluster } = rdsFixtures(sandbox);

  it('fails with DBClusterAlreadyExistsFault and leaves the existing cluster as it was', async () => {
    const existing = await createCluster('taken-cluster');

    const failure = await failureOf(
      rds().send(
        new CreateDBClusterCommand({
          DBClusterIdentifier: 'taken-cluster',
          Engine: 'aurora-postgresql',
          MasterUsername: 'other',
          MasterUserPassword: 'not-a-real-password-2',
        }),
      ),
    );

    expect(failure).toMatchObject({ name: 'DBClusterAlreadyExistsFault', status: 400, message: 'The user already has a DB cluster with the given identifier.' });
    const { DBClusters } = await rds().send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'taken-cluster' }));
    expect(DBClusters!.map((c) => [c.DbClusterResourceId, c.MasterUsername])).toEqual([[existing.DbClusterResourceId, 'postgres']]);
  });
});
