import { CreateDBClusterSnapshotCommand, DeleteDBClusterCommand, DescribeDBClusterSnapshotsCommand } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../support/sandbox.js';
import { rdsFixtures } from './rds-fixtures.js';

describe('sandbox: a deleted cluster takes its automated snapshots with it', () => {
  const sandbox = useSandbox();
  const { rds, createCluster } = rdsFixtures(sandbox);
  const snapshots = async () =>
    ((await rds().send(new DescribeDBClusterSnapshotsCommand({}))).DBClusterSnapshots ?? []).map((s) => ({
      id: s.DBClusterSnapshotIdentifier,
      cluster: s.DBClusterIdentifier,
      type: s.SnapshotType,
    }));

  it('removes the automated snapshot, so a cluster of the same name can be created again at once', async () => {
    await createCluster('again');
    expect(await snapshots()).toEqual([expect.objectContaining({ cluster: 'again', type: 'automated' })]);

    await rds().send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'again', SkipFinalSnapshot: true }));

    expect(await snapshots()).toEqual([]);
    const recreated = await createCluster('again');
    expect(recreated.DBClusterIdentifier).toBe('again');
  });

  it('keeps the final snapshot and earlier manual snapshots', async () => {
    await createCluster('kept');
    await rds().send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'kept', DBClusterSnapshotIdentifier: 'kept-by-hand' }));

    await rds().send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'kept', FinalDBSnapshotIdentifier: 'kept-final' }));

    expect(await snapshots()).toEqual(
      expect.arrayContaining([
        { id: 'kept-by-hand', cluster: 'kept', type: 'manual' },
        { id: 'kept-final', cluster: 'kept', type: 'manual' },
      ]),
    );
    expect((await snapshots()).filter((s) => s.type === 'automated')).toEqual([]);
  });

  it("leaves other clusters' automated snapshots alone", async () => {
    await createCluster('going');
    await createCluster('staying');

    await rds().send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'going', SkipFinalSnapshot: true }));

    expect(await snapshots()).toEqual([expect.objectContaining({ cluster: 'staying', type: 'automated' })]);
  });

  it('keeps the automated snapshots when DeleteAutomatedBackups is false', async () => {
    await createCluster('retained');

    await rds().send(
      new DeleteDBClusterCommand({ DBClusterIdentifier: 'retained', SkipFinalSnapshot: true, DeleteAutomatedBackups: false }),
    );

    expect(await snapshots()).toEqual([expect.objectContaining({ cluster: 'retained', type: 'automated' })]);
  });
});
