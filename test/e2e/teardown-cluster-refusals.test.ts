import { CreateDBInstanceCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useFaultProxy } from './support/fault-proxy.js';
import { useSandbox } from './support/sandbox.js';
import { stackReads } from './support/stack-reads.js';

interface TeardownDocument {
  error: { code: string; message: string };
  left: { step: string; id: string; reason: string; command: string }[];
}

describe('teardown when RDS refuses to delete the cluster', () => {
  const sandbox = useSandbox();
  const reads = stackReads(sandbox);
  const proxy = useFaultProxy(sandbox);

  async function up(stack: string): Promise<void> {
    const result = await runCli(['up', '--name', stack], sandbox.env);
    expect(result.code, result.stderr).toBe(0);
  }

  async function liveCluster(id: string) {
    const { DBClusters } = await reads.rds().send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
    return DBClusters![0]!;
  }

  it('stops, naming the DB instance the stack did not create, instead of retrying', async () => {
    await up('crowded');
    // Someone added a reader to the stack's cluster.
    await reads.rds().send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'someones-reader',
        DBClusterIdentifier: 'crowded-cluster',
        DBInstanceClass: 'db.serverless',
        Engine: 'aurora-postgresql',
      }),
    );
    const started = Date.now();

    const result = await runCli(['teardown', '--name', 'crowded', '--yes', '--json'], sandbox.env);

    expect(result.code, result.stderr).toBe(1);
    expect(Date.now() - started).toBeLessThan(60_000);
    const document = JSON.parse(result.stdout) as TeardownDocument;
    const cluster = document.left.find((l) => l.step === 'cluster')!;
    expect(cluster.reason).toContain("someones-reader (not the stack's writer crowded-writer)");
    expect(cluster.reason).toContain('still contains DB instances');
    expect(cluster.reason).toContain('aws rds delete-db-instance --db-instance-identifier someones-reader');
    expect(result.stderr).toContain('someones-reader');
    expect(result.stderr).not.toMatch(/busy; retrying/);
    const { DBInstances } = await reads.rds().send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'someones-reader' }));
    expect(DBInstances).toHaveLength(1);
    expect((await liveCluster('crowded-cluster')).DeletionProtection).toBe(true);
  });

  it('turns deletion protection back on when the cluster delete fails after turning it off, and says so', async () => {
    await up('guarded');
    proxy.inject({ operation: 'DeleteDBCluster', fault: { kind: 'refuse', code: 'InvalidParameterCombination', message: 'refused for the test' }, times: Infinity });

    const result = await runCli(['teardown', '--name', 'guarded', '--yes', '--json'], proxy.env);

    expect(result.code, result.stderr).toBe(1);
    expect(proxy.writes().filter((c) => c.operation === 'ModifyDBCluster')).toHaveLength(2);
    expect((await liveCluster('guarded-cluster')).DeletionProtection).toBe(true);
    const document = JSON.parse(result.stdout) as TeardownDocument;
    expect(document.left.find((l) => l.step === 'cluster')?.reason).toBe(
      'deleting Aurora cluster guarded-cluster: refused for the test. Deletion protection was turned back on.',
    );
    expect(result.stderr).toContain('Deletion protection was turned back on.');
  });

  it('says loudly, in --json too, that deletion protection is off when turning it back on fails as well', async () => {
    await up('exposed');
    proxy.inject({ operation: 'DeleteDBCluster', fault: { kind: 'refuse', code: 'InvalidParameterCombination', message: 'refused for the test' }, times: Infinity });
    proxy.inject({ operation: 'ModifyDBCluster', fault: { kind: 'refuse', code: 'AccessDenied', message: 'not allowed for the test' }, after: 1, times: Infinity });

    const result = await runCli(['teardown', '--name', 'exposed', '--yes', '--json'], proxy.env);

    expect(result.code, result.stderr).toBe(1);
    expect((await liveCluster('exposed-cluster')).DeletionProtection).toBe(false);
    const turnOn = 'aws rds modify-db-cluster --db-cluster-identifier exposed-cluster --deletion-protection --apply-immediately --region us-east-1';
    const reason = (JSON.parse(result.stdout) as TeardownDocument).left.find((l) => l.step === 'cluster')?.reason;
    expect(reason).toContain('DELETION PROTECTION IS OFF on Aurora cluster exposed-cluster');
    expect(reason).toContain(turnOn);
    expect(result.stderr).toContain('DELETION PROTECTION IS OFF');
    expect(result.stderr).toContain(turnOn);
  });
});
