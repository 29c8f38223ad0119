import type { Progress } from '../../../src/waiters/progress.js';
import {
  DBClusterNotFoundFault,
  DBInstanceNotFoundFault,
  DBProxyNotFoundFault,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBProxiesCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InterruptedError } from '../../../src/errors.js';
import { waitForClusterAvailable, waitForClusterDeleted } from '../../../src/waiters/cluster.js';
import { waitForInstanceAvailable, waitForInstanceDeleted } from '../../../src/waiters/instance.js';
import { waitForProxyAvailable, waitForProxyDeleted } from '../../../src/waiters/proxy.js';
import type { WaitContext } from '../../../src/waiters/wait-context.js';
import { WaitFailedError, type WaitedKind } from '../../../src/waiters/wait-failed-error.js';
import { settle } from '../support/fake-clock.js';
import { realWaitTiming, waiterContext } from '../support/waiter-context.js';

const rds = mockClient(RDSClient);

/** Answered as DescribeDB… not finding the resource. */
const GONE = Symbol('gone');
type Look = string | typeof GONE;

/** One kind of RDS resource whose waiter is specified below, with its describe call mocked. */
interface Waited {
  kind: WaitedKind;
  id: string;
  /** How its waiter names it. */
  what: string;
  /** Makes each describe call answer the status `next` gives for that look (1, 2, …). */
  answer(next: (look: number) => Look): void;
  /** Waits until available and returns the status the resource then has. */
  available(ctx: WaitContext): Promise<string | undefined>;
  deleted(ctx: WaitContext): Promise<void>;
}

function answering<T>(stub: { callsFake(fn: () => Promise<T>): unknown }, next: (look: number) => Look, make: (status: string) => T, gone: () => Error) {
  let look = 0;
  stub.callsFake(() => {
    const status = next(++look);
    return status === GONE ? Promise.reject(gone()) : Promise.resolve(make(status));
  });
}

const cluster: Waited = {
  kind: 'cluster',
  id: 'unit-stack-cluster',
  what: 'Aurora cluster unit-stack-cluster',
  answer: (next) =>
    answering(
      rds.on(DescribeDBClustersCommand),
      next,
      (status) => ({ DBClusters: [{ DBClusterIdentifier: 'unit-stack-cluster', Status: status }] }),
      () => new DBClusterNotFoundFault({ message: 'DBCluster unit-stack-cluster not found.', $metadata: {} }),
    ),
  available: async (ctx) => (await waitForClusterAvailable(ctx, 'unit-stack-cluster')).Status,
  deleted: (ctx) => waitForClusterDeleted(ctx, 'unit-stack-cluster'),
};

const instance: Waited = {
  kind: 'instance',
  id: 'unit-stack-writer',
  what: 'DB instance unit-stack-writer',
  answer: (next) =>
    answering(
      rds.on(DescribeDBInstancesCommand),
      next,
      (status) => ({ DBInstances: [{ DBInstanceIdentifier: 'unit-stack-writer', DBInstanceStatus: status }] }),
      () => new DBInstanceNotFoundFault({ message: 'DBInstance unit-stack-writer not found.', $metadata: {} }),
    ),
  available: async (ctx) => (await waitForInstanceAvailable(ctx, 'unit-stack-writer')).DBInstanceStatus,
  deleted: (ctx) => waitForInstanceDeleted(ctx, 'unit-stack-writer'),
};

const proxy: Waited = {
  kind: 'proxy',
  id: 'unit-stack-proxy',
  what: 'RDS proxy unit-stack-proxy',
  answer: (next) =>
    answering(
      rds.on(DescribeDBProxiesCommand),
      next,
      (status) => ({ DBProxies: [{ DBProxyName: 'unit-stack-proxy', Status: status as 'available' }] }),
      () => new DBProxyNotFoundFault({ message: 'DBProxy unit-stack-proxy not found.', $metadata: {} }),
    ),
  available: async (ctx) => (await waitForProxyAvailable(ctx, 'unit-stack-proxy')).Status,
  deleted: (ctx) => waitForProxyDeleted(ctx, 'unit-stack-proxy'),
};

/** Answers the given statuses in order, repeating the last one. */
const inTurn =
  (...looks: Look[]) =>
  (look: number): Look =>
    looks[Math.min(look, looks.length) - 1]!;

const looks = () => rds.calls().length;

let ctx: WaitContext;
let progress: Progress[];

beforeEach(async () => {
  ({ ctx, progress } = await waiterContext(rds));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('waiting until available', () => {
  it.each([
    { waited: cluster, pending: ['creating', 'backing-up'] },
    { waited: instance, pending: ['creating', 'configuring-enhanced-monitoring'] },
    { waited: proxy, pending: ['creating', 'modifying'] },
  ])('keeps polling the $waited.kind through $pending and returns it once available', async ({ waited, pending }) => {
    waited.answer(inTurn(...pending, 'available'));

    const { value } = await settle(waited.available(ctx));

    expect(value).toBe('available');
    expect(looks()).toBe(3);
    expect(progress.map((p) => p.kind === 'waiting' && [p.what, p.status])).toEqual([
      [waited.what, pending[0]],
      [waited.what, pending[1]],
    ]);
  });

  it.each([
    {
      waited: cluster,
      status: 'inaccessible-encryption-credentials',
      explanation: 'RDS cannot use the KMS key',
      hint: 'Check that the KMS key is enabled',
    },
    { waited: cluster, status: 'stopped', explanation: 'it is stopped', hint: 'Start it (aws rds start-db-cluster)' },
    { waited: instance, status: 'insufficient-capacity', explanation: 'no capacity', hint: 'subnets in other availability zones' },
    { waited: instance, status: 'failed', explanation: 'creating or changing it failed', hint: undefined },
    { waited: instance, status: 'stopped', explanation: 'it is stopped', hint: 'Start the cluster (aws rds start-db-cluster)' },
    {
      waited: proxy,
      status: 'incompatible-network',
      explanation: 'RDS cannot use the subnets or security groups',
      hint: 'aws rds delete-db-proxy --db-proxy-name unit-stack-proxy',
    },
    { waited: proxy, status: 'insufficient-resource-limits', explanation: 'RDS Proxy quota', hint: 'Service Quotas' },
    { waited: proxy, status: 'deleting', explanation: 'the proxy is being deleted', hint: 'Wait until it is gone' },
    { waited: proxy, status: 'suspended', explanation: 'RDS suspended the proxy', hint: 'resumes once a target is usable' },
  ])(
    'stops at the first look when the $waited.kind is $status, explaining it, with the status as data',
    async ({ waited, status, explanation, hint }) => {
      waited.answer(inTurn('creating', status));

      const { error } = await settle(waited.available(ctx));

      expect(error).toBeInstanceOf(WaitFailedError);
      const failed = error as WaitFailedError;
      expect(failed.message).toMatch(new RegExp(`^${waited.what} is ${status} after \\d+s: `));
      expect(failed.message).toContain(explanation);
      if (hint === undefined) expect(failed.hint).toBeUndefined();
      else expect(failed.hint).toContain(hint);
      expect(failed.failure).toEqual({ resource: { kind: waited.kind, id: waited.id }, status });
      expect(looks()).toBe(2);
    },
  );

  it.each([
    { waited: cluster, explanation: '"incompatible-something-new" is not a state on the way to available.' },
    { waited: instance, explanation: '"incompatible-something-new" is not a state on the way to available.' },
    { waited: proxy, explanation: 'RDS reports status "incompatible-something-new"' },
  ])('stops on a $waited.kind status it does not know instead of waiting on it', async ({ waited, explanation }) => {
    waited.answer(inTurn('incompatible-something-new'));

    const { error } = await settle(waited.available(ctx));

    expect((error as WaitFailedError).message).toBe(`${waited.what} is incompatible-something-new after 0s: ${explanation}`);
    expect((error as WaitFailedError).failure.status).toBe('incompatible-something-new');
    expect(looks()).toBe(1);
  });

  it.each([cluster, instance, proxy])('fails when the $kind disappears while it is awaited', async (waited) => {
    waited.answer(inTurn('creating', GONE));

    const { error } = await settle(waited.available(ctx));

    expect((error as WaitFailedError).message).toMatch(new RegExp(`^${waited.what} is gone after \\d+s: it no longer exists\\.$`));
    expect((error as WaitFailedError).failure).toEqual({ resource: { kind: waited.kind, id: waited.id }, status: 'gone' });
  });

  it.each([cluster, instance, proxy])('times out naming the $kind, the elapsed time and the last status', async (waited) => {
    ctx.timing = realWaitTiming(120_000);
    waited.answer(inTurn('creating'));

    const { error } = await settle(waited.available(ctx));

    expect(error).not.toBeInstanceOf(WaitFailedError);
    expect((error as Error).message).toBe(`Timed out after 2m00s waiting for ${waited.what} (last status: creating).`);
  });

  it.each([cluster, instance, proxy])('stops with InterruptedError when the signal aborts while the $kind is creating', async (waited) => {
    const controller = new AbortController();
    ctx.signal = controller.signal;
    waited.answer(inTurn('creating'));
    const outcome = waited.available(ctx).catch((error: unknown) => error);

    await vi.advanceTimersByTimeAsync(5_000);
    controller.abort();

    expect(await outcome).toBeInstanceOf(InterruptedError);
    expect(looks()).toBeGreaterThan(1);
  });

  it.each([cluster, instance, proxy])('looks at the $kind a few seconds apart with the default timing, never 30 s', async (waited) => {
    const lookedAt: number[] = [];
    waited.answer((look) => {
      lookedAt.push(Date.now());
      return look < 12 ? 'creating' : 'available';
    });

    await settle(waited.available(ctx));

    const gaps = lookedAt.slice(1).map((t, i) => t - lookedAt[i]!);
    expect(gaps).toHaveLength(11);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(1_000);
      expect(gap).toBeLessThanOrEqual(10_000);
    }
  });
});

describe('waiting until deleted', () => {
  it.each([
    { waited: cluster, deleting: ['backing-up', 'deleting'] },
    { waited: instance, deleting: ['delete-precheck', 'deleting'] },
    { waited: proxy, deleting: ['deleting', 'deleting'] },
  ])('keeps polling the $waited.kind through $deleting and finishes when it is not found', async ({ waited, deleting }) => {
    waited.answer(inTurn(...deleting, GONE));

    const { error } = await settle(waited.deleted(ctx));

    expect(error).toBeUndefined();
    expect(looks()).toBe(3);
    expect(progress[0]).toMatchObject({ kind: 'waiting', what: `${waited.what} to be deleted`, status: deleting[0] });
  });

  it.each([cluster, instance, proxy])('is done at the first look when the $kind is already gone', async (waited) => {
    waited.answer(inTurn(GONE));

    const { error } = await settle(waited.deleted(ctx));

    expect(error).toBeUndefined();
    expect(looks()).toBe(1);
  });

  it.each([cluster, instance, proxy])('keeps waiting when a read of the $kind right after the delete call still says available', async (waited) => {
    waited.answer(inTurn('available', 'deleting', GONE));

    const { error } = await settle(waited.deleted(ctx));

    expect(error).toBeUndefined();
    expect(looks()).toBe(3);
  });

  it.each([cluster, instance])('fails when the $kind is stopped instead of going away', async (waited) => {
    waited.answer(inTurn('stopped'));

    const { error } = await settle(waited.deleted(ctx));

    expect((error as WaitFailedError).message).toBe(`${waited.what} is stopped after 0s: "stopped" is not a state on the way to deleted.`);
    expect((error as WaitFailedError).failure).toEqual({ resource: { kind: waited.kind, id: waited.id }, status: 'stopped' });
  });

  it('waits out any state of the proxy until it is not found', async () => {
    proxy.answer(inTurn('incompatible-network', 'suspended', GONE));

    const { error } = await settle(proxy.deleted(ctx));

    expect(error).toBeUndefined();
    expect(looks()).toBe(3);
  });

  it.each([cluster, instance, proxy])('times out naming the $kind, the elapsed time and the last status', async (waited) => {
    ctx.timing = realWaitTiming(90_000);
    waited.answer(inTurn('deleting'));

    const { error } = await settle(waited.deleted(ctx));

    expect((error as Error).message).toBe(`Timed out after 1m30s waiting for ${waited.what} (last status: deleting).`);
  });
});
