import { DescribeDBProxyTargetsCommand, RDSClient, type DBProxyTarget } from '@aws-sdk/client-rds';
import type { Progress } from '../../../src/waiters/progress.js';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CliError, InterruptedError } from '../../../src/errors.js';
import { summarizeTargetHealth, waitForTargetHealth } from '../../../src/waiters/target-health.js';
import type { WaitContext } from '../../../src/waiters/wait-context.js';
import { WaitFailedError } from '../../../src/waiters/wait-failed-error.js';
import { realWaitTiming, waiterContext } from '../support/waiter-context.js';
import { settle } from '../support/fake-clock.js';

const rds = mockClient(RDSClient);
const PROXY = 'unit-stack-proxy';

function instanceRow(state: string, reason?: string, description?: string): DBProxyTarget {
  return {
    Type: 'RDS_INSTANCE',
    RdsResourceId: 'unit-stack-writer',
    TrackedClusterId: 'unit-stack-cluster',
    TargetHealth: { State: state as 'AVAILABLE', Reason: reason as 'AUTH_FAILURE' | undefined, Description: description },
  };
}

function clusterRow(state?: string): DBProxyTarget {
  return {
    Type: 'TRACKED_CLUSTER',
    RdsResourceId: 'unit-stack-cluster',
    TrackedClusterId: 'unit-stack-cluster',
    ...(state ? { TargetHealth: { State: state as 'AVAILABLE' } } : {}),
  };
}

const targets = (...rows: DBProxyTarget[]) => ({ Targets: rows });

let ctx: WaitContext;
let progress: Progress[];

beforeEach(async () => {
  ({ ctx, progress } = await waiterContext(rds));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('waitForTargetHealth', () => {
  it('waits through registering and pending capacity, and returns the rows once the instance is AVAILABLE', async () => {
    rds
      .on(DescribeDBProxyTargetsCommand)
      .resolvesOnce(targets(clusterRow(), instanceRow('REGISTERING')))
      .resolvesOnce(targets(clusterRow(), instanceRow('UNAVAILABLE', 'PENDING_PROXY_CAPACITY', 'DBProxy Target is waiting for proxy to scale to desired capacity')))
      .resolves(targets(clusterRow(), instanceRow('AVAILABLE')));

    const { value } = await settle(waitForTargetHealth(ctx, PROXY));

    expect(value).toContainEqual({
      type: 'RDS_INSTANCE',
      id: 'unit-stack-writer',
      state: 'AVAILABLE',
      reason: undefined,
      description: undefined,
    });
    expect(rds.commandCalls(DescribeDBProxyTargetsCommand)).toHaveLength(3);
    expect(rds.commandCalls(DescribeDBProxyTargetsCommand)[0]!.args[0].input).toMatchObject({
      DBProxyName: PROXY,
      TargetGroupName: 'default',
    });
    expect(progress[1]).toMatchObject({ kind: 'waiting', status: expect.stringContaining('RDS_INSTANCE unit-stack-writer: UNAVAILABLE (PENDING_PROXY_CAPACITY)') });
  });

  it('fails at the first AUTH_FAILURE with the AWS description, carrying the failing row as data', async () => {
    const description = 'Proxy does not have any registered credentials';
    rds.on(DescribeDBProxyTargetsCommand).resolves(targets(clusterRow(), instanceRow('UNAVAILABLE', 'AUTH_FAILURE', description)));

    const { error } = await settle(waitForTargetHealth(ctx, PROXY));

    expect(error).toBeInstanceOf(WaitFailedError);
    const failed = error as WaitFailedError;
    expect(failed.message).toBe(
      `the target of RDS proxy unit-stack-proxy is unhealthy after 0s: RDS_INSTANCE unit-stack-writer is UNAVAILABLE (AUTH_FAILURE): ${description}`,
    );
    const row = { type: 'RDS_INSTANCE', id: 'unit-stack-writer', state: 'UNAVAILABLE', reason: 'AUTH_FAILURE', description };
    expect(failed.failure).toEqual({
      resource: { kind: 'proxy-target', id: PROXY },
      status: 'UNAVAILABLE',
      reason: 'AUTH_FAILURE',
      description,
      target: row,
    });
    expect(rds.commandCalls(DescribeDBProxyTargetsCommand)).toHaveLength(1);
  });

  it.each(['UNREACHABLE', 'CONNECTION_FAILED'])('fails at once on %s, carrying the reason as data', async (reason) => {
    const description = 'Timed out connecting to the database';
    rds.on(DescribeDBProxyTargetsCommand).resolves(targets(instanceRow('UNAVAILABLE', reason, description)));

    const { error } = await settle(waitForTargetHealth(ctx, PROXY));

    expect((error as WaitFailedError).message).toContain(`(${reason}): ${description}`);
    expect((error as WaitFailedError).failure).toMatchObject({ status: 'UNAVAILABLE', reason, description });
    expect(rds.commandCalls(DescribeDBProxyTargetsCommand)).toHaveLength(1);
  });

  it('keeps waiting while the proxy reports PENDING_PROXY_CAPACITY', async () => {
    rds.on(DescribeDBProxyTargetsCommand).resolves(targets(instanceRow('UNAVAILABLE', 'PENDING_PROXY_CAPACITY')));
    let settled = false;
    void waitForTargetHealth(ctx, PROXY).then(
      () => (settled = true),
      () => (settled = true),
    );

    await vi.advanceTimersByTimeAsync(5 * 60_000);

    expect(settled).toBe(false);
    expect(rds.commandCalls(DescribeDBProxyTargetsCommand).length).toBeGreaterThan(10);
  });

  it('accepts an AVAILABLE TRACKED_CLUSTER row when there is no RDS_INSTANCE row', async () => {
    rds.on(DescribeDBProxyTargetsCommand).resolves(targets(clusterRow('AVAILABLE')));

    const { value } = await settle(waitForTargetHealth(ctx, PROXY));

    expect(value).toEqual([
      { type: 'TRACKED_CLUSTER', id: 'unit-stack-cluster', state: 'AVAILABLE', reason: undefined, description: undefined },
    ]);
  });

  it('keeps waiting while the only row is a REGISTERING TRACKED_CLUSTER', async () => {
    rds
      .on(DescribeDBProxyTargetsCommand)
      .resolvesOnce(targets(clusterRow('REGISTERING')))
      .resolvesOnce(targets(clusterRow('REGISTERING')))
      .resolves(targets(clusterRow('AVAILABLE')));

    const { value } = await settle(waitForTargetHealth(ctx, PROXY));

    expect(value?.[0]?.state).toBe('AVAILABLE');
    expect(rds.commandCalls(DescribeDBProxyTargetsCommand)).toHaveLength(3);
  });

  it('does not count an AVAILABLE TRACKED_CLUSTER row while an RDS_INSTANCE row is still registering', async () => {
    rds
      .on(DescribeDBProxyTargetsCommand)
      .resolvesOnce(targets(clusterRow('AVAILABLE'), instanceRow('REGISTERING')))
      .resolves(targets(clusterRow('AVAILABLE'), instanceRow('AVAILABLE')));

    await settle(waitForTargetHealth(ctx, PROXY));

    expect(rds.commandCalls(DescribeDBProxyTargetsCommand)).toHaveLength(2);
  });

  it('ignores an UNUSED reader row once the writer row is AVAILABLE', async () => {
    const reader = { ...instanceRow('UNUSED'), RdsResourceId: 'unit-stack-reader' };
    rds.on(DescribeDBProxyTargetsCommand).resolves(targets(clusterRow(), instanceRow('AVAILABLE'), reader));

    const { value, error } = await settle(waitForTargetHealth(ctx, PROXY));

    expect(error).toBeUndefined();
    expect(value?.map((r) => `${r.id}:${r.state}`)).toContain('unit-stack-reader:UNUSED');
  });

  it('keeps waiting while every instance row is UNUSED', async () => {
    rds.on(DescribeDBProxyTargetsCommand).resolves(targets(clusterRow('AVAILABLE'), instanceRow('UNUSED')));

    const { error } = await settle(waitForTargetHealth(ctx, PROXY));

    expect(String(error)).toContain('Timed out');
  });

  it('keeps waiting while no target is registered yet', async () => {
    rds.on(DescribeDBProxyTargetsCommand).resolvesOnce(targets()).resolves(targets(clusterRow('AVAILABLE')));

    await settle(waitForTargetHealth(ctx, PROXY));

    expect(rds.commandCalls(DescribeDBProxyTargetsCommand)).toHaveLength(2);
    expect(progress[0]).toMatchObject({ kind: 'waiting', status: 'no targets registered' });
  });

  it('shows a reason it does not know exactly as AWS reports it, and passes it on as data', async () => {
    rds
      .on(DescribeDBProxyTargetsCommand)
      .resolves(targets(instanceRow('UNAVAILABLE', 'SOMETHING_NEW', 'The target is out of order')));

    const { error } = await settle(waitForTargetHealth(ctx, PROXY));

    expect((error as WaitFailedError).message).toContain(
      'RDS_INSTANCE unit-stack-writer reports State UNAVAILABLE, Reason SOMETHING_NEW, Description The target is out of order',
    );
    expect((error as WaitFailedError).failure.target).toEqual({
      type: 'RDS_INSTANCE',
      id: 'unit-stack-writer',
      state: 'UNAVAILABLE',
      reason: 'SOMETHING_NEW',
      description: 'The target is out of order',
    });
  });

  it('times out naming the proxy target, the elapsed time and the last status', async () => {
    ctx.timing = realWaitTiming(120_000);
    rds.on(DescribeDBProxyTargetsCommand).resolves(targets(instanceRow('REGISTERING')));

    const { error } = await settle(waitForTargetHealth(ctx, PROXY));

    expect((error as CliError).message).toBe(
      'Timed out after 2m00s waiting for the target of RDS proxy unit-stack-proxy (last status: RDS_INSTANCE unit-stack-writer: REGISTERING).',
    );
  });

  it('stops with InterruptedError when the run is aborted', async () => {
    const abort = new AbortController();
    ctx.signal = abort.signal;
    rds.on(DescribeDBProxyTargetsCommand).resolves(targets(instanceRow('REGISTERING')));
    const outcome = settle(waitForTargetHealth(ctx, PROXY));

    await vi.advanceTimersByTimeAsync(5_000);
    abort.abort();

    expect((await outcome).error).toBeInstanceOf(InterruptedError);
  });

  it('looks again seconds apart, never 30 s or more', async () => {
    const lookedAt: number[] = [];
    let looks = 0;
    rds.on(DescribeDBProxyTargetsCommand).callsFake(() => {
      lookedAt.push(Date.now());
      looks += 1;
      return targets(instanceRow(looks < 12 ? 'REGISTERING' : 'AVAILABLE'));
    });

    await settle(waitForTargetHealth(ctx, PROXY));

    const gaps = lookedAt.slice(1).map((t, i) => t - lookedAt[i]!);
    expect(gaps).toHaveLength(11);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(1_000);
      expect(gap).toBeLessThan(30_000);
    }
  });
});

describe('target health in words', () => {
  it('shows each row with its state and reason', () => {
    expect(
      summarizeTargetHealth([
        { type: 'TRACKED_CLUSTER', id: 'orders-cluster', state: 'UNKNOWN' },
        { type: 'RDS_INSTANCE', id: 'orders-writer', state: 'UNAVAILABLE', reason: 'PENDING_PROXY_CAPACITY' },
      ]),
    ).toBe('TRACKED_CLUSTER orders-cluster (health is per instance), RDS_INSTANCE orders-writer: UNAVAILABLE (PENDING_PROXY_CAPACITY)');
  });

  it('says so when no target is registered', () => {
    expect(summarizeTargetHealth([])).toBe('no targets registered');
  });
});
