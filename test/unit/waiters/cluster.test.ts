import { DBClusterNotFoundFault, DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InterruptedError } from '../../../src/errors.js';
import type { BuildContext } from '../../../src/steps/step.js';
import { waitForClusterAvailable, waitForClusterDeleted } from '../../../src/waiters/cluster.js';
import { realWaitTiming, waiterContext } from '../support/waiter-context.js';
import { settle } from '../support/fake-clock.js';

const rds = mockClient(RDSClient);
const CLUSTER = 'unit-stack-cluster';

function cluster(status: string) {
  return { DBClusters: [{ DBClusterIdentifier: CLUSTER, Status: status }] };
}

const notFound = () => new DBClusterNotFoundFault({ message: `DBCluster ${CLUSTER} not found.`, $metadata: {} });

let ctx: BuildContext;
let progress: string[];

beforeEach(async () => {
  ({ ctx, progress } = await waiterContext(rds));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('waitForClusterAvailable', () => {
  it('keeps polling while the cluster is creating and returns it once available', async () => {
    rds
      .on(DescribeDBClustersCommand)
      .resolvesOnce(cluster('creating'))
      .resolvesOnce(cluster('backing-up'))
      .resolves(cluster('available'));

    const { value } = await settle(waitForClusterAvailable(ctx, CLUSTER));

    expect(value?.Status).toBe('available');
    expect(rds.commandCalls(DescribeDBClustersCommand)).toHaveLength(3);
    expect(progress[0]).toMatch(/^waiting for Aurora cluster unit-stack-cluster: creating \(\d+s\)$/);
    expect(progress[1]).toContain('backing-up');
  });

  it('fails at the first look at a state the cluster does not leave by itself, naming it', async () => {
    rds.on(DescribeDBClustersCommand).resolves(cluster('inaccessible-encryption-credentials'));

    const { error } = await settle(waitForClusterAvailable(ctx, CLUSTER));

    expect(String(error)).toContain('Aurora cluster unit-stack-cluster is inaccessible-encryption-credentials');
    expect((error as { hint?: string }).hint).toContain('KMS key');
    expect(rds.commandCalls(DescribeDBClustersCommand)).toHaveLength(1);
  });

  it('fails on a stopped cluster and says how to start it', async () => {
    rds.on(DescribeDBClustersCommand).resolvesOnce(cluster('creating')).resolves(cluster('stopped'));

    const { error } = await settle(waitForClusterAvailable(ctx, CLUSTER));

    expect(String(error)).toContain('is stopped');
    expect((error as { hint?: string }).hint).toContain('aws rds start-db-cluster');
  });

  it('fails on a status it does not know instead of waiting on it', async () => {
    rds.on(DescribeDBClustersCommand).resolves(cluster('incompatible-something-new'));

    const { error } = await settle(waitForClusterAvailable(ctx, CLUSTER));

    expect(String(error)).toContain('is incompatible-something-new');
    expect(rds.commandCalls(DescribeDBClustersCommand)).toHaveLength(1);
  });

  it('fails when the cluster disappears while it is awaited', async () => {
    rds.on(DescribeDBClustersCommand).resolvesOnce(cluster('creating')).rejects(notFound());

    const { error } = await settle(waitForClusterAvailable(ctx, CLUSTER));

    expect(String(error)).toContain('no longer exists');
  });

  it('times out naming the cluster, the elapsed time and the last status', async () => {
    ctx.timing = realWaitTiming(60_000);
    rds.on(DescribeDBClustersCommand).resolves(cluster('creating'));

    const { error } = await settle(waitForClusterAvailable(ctx, CLUSTER));

    expect(String(error)).toContain('Timed out after 1m00s waiting for Aurora cluster unit-stack-cluster');
    expect(String(error)).toContain('last status: creating');
  });

  it('stops with InterruptedError when the signal aborts between polls', async () => {
    const controller = new AbortController();
    ctx.signal = controller.signal;
    rds.on(DescribeDBClustersCommand).resolves(cluster('creating'));

    const outcome = waitForClusterAvailable(ctx, CLUSTER).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(5_000);
    controller.abort();

    expect(await outcome).toBeInstanceOf(InterruptedError);
    expect(rds.commandCalls(DescribeDBClustersCommand).length).toBeGreaterThan(1);
  });

  it('polls a few seconds apart with the default timing, never 30 seconds', async () => {
    const seen: number[] = [];
    rds.on(DescribeDBClustersCommand).callsFake(() => {
      seen.push(Date.now());
      return cluster(seen.length < 8 ? 'creating' : 'available');
    });

    await settle(waitForClusterAvailable(ctx, CLUSTER));

    const gaps = seen.slice(1).map((t, i) => t - seen[i]!);
    expect(gaps).toHaveLength(7);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(1_000);
      expect(gap).toBeLessThanOrEqual(10_000);
    }
  });
});

describe('waitForClusterDeleted', () => {
  it('keeps polling while the cluster is deleting and finishes when it is not found', async () => {
    rds
      .on(DescribeDBClustersCommand)
      .resolvesOnce(cluster('backing-up'))
      .resolvesOnce(cluster('deleting'))
      .rejects(notFound());

    const { error } = await settle(waitForClusterDeleted(ctx, CLUSTER));

    expect(error).toBeUndefined();
    expect(rds.commandCalls(DescribeDBClustersCommand)).toHaveLength(3);
    expect(progress[0]).toMatch(/^waiting for Aurora cluster unit-stack-cluster to be deleted: backing-up/);
  });

  it('is done at once when the cluster is already gone', async () => {
    rds.on(DescribeDBClustersCommand).rejects(notFound());

    const { error } = await settle(waitForClusterDeleted(ctx, CLUSTER));

    expect(error).toBeUndefined();
    expect(rds.commandCalls(DescribeDBClustersCommand)).toHaveLength(1);
  });

  it('keeps waiting when a read right after the delete call still says available', async () => {
    rds
      .on(DescribeDBClustersCommand)
      .resolvesOnce(cluster('available'))
      .resolvesOnce(cluster('deleting'))
      .rejects(notFound());

    const { error } = await settle(waitForClusterDeleted(ctx, CLUSTER));

    expect(error).toBeUndefined();
    expect(rds.commandCalls(DescribeDBClustersCommand)).toHaveLength(3);
  });

  it('fails when the cluster is stopped instead of going away', async () => {
    rds.on(DescribeDBClustersCommand).resolves(cluster('stopped'));

    const { error } = await settle(waitForClusterDeleted(ctx, CLUSTER));

    expect(String(error)).toContain('Aurora cluster unit-stack-cluster is stopped');
    expect(String(error)).toContain('not a state on the way to deleted');
  });

  it('times out naming the cluster and the elapsed time', async () => {
    ctx.timing = realWaitTiming(90_000);
    rds.on(DescribeDBClustersCommand).resolves(cluster('deleting'));

    const { error } = await settle(waitForClusterDeleted(ctx, CLUSTER));

    expect(String(error)).toContain('Timed out after 1m30s waiting for Aurora cluster unit-stack-cluster');
  });
});
