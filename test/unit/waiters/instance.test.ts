import { DBInstanceNotFoundFault, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InterruptedError } from '../../../src/errors.js';
import type { BuildContext } from '../../../src/steps/step.js';
import { waitForInstanceAvailable, waitForInstanceDeleted } from '../../../src/waiters/instance.js';
import { realWaitTiming, waiterContext } from '../support/waiter-context.js';
import { settle } from '../support/fake-clock.js';

const rds = mockClient(RDSClient);
const INSTANCE = 'unit-stack-writer';

function instance(status: string) {
  return { DBInstances: [{ DBInstanceIdentifier: INSTANCE, DBInstanceStatus: status }] };
}

const notFound = () => new DBInstanceNotFoundFault({ message: `DBInstance ${INSTANCE} not found.`, $metadata: {} });

let ctx: BuildContext;
let progress: string[];

beforeEach(async () => {
  ({ ctx, progress } = await waiterContext(rds));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('waitForInstanceAvailable', () => {
  it('keeps polling while the instance is creating and returns it once available', async () => {
    rds
      .on(DescribeDBInstancesCommand)
      .resolvesOnce(instance('creating'))
      .resolvesOnce(instance('configuring-enhanced-monitoring'))
      .resolves(instance('available'));

    const { value } = await settle(waitForInstanceAvailable(ctx, INSTANCE));

    expect(value?.DBInstanceStatus).toBe('available');
    expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(3);
    expect(progress[0]).toMatch(/^waiting for DB instance unit-stack-writer: creating \(\d+s\)$/);
  });

  it('fails at the first look at insufficient capacity, naming the status and what to do', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance('insufficient-capacity'));

    const { error } = await settle(waitForInstanceAvailable(ctx, INSTANCE));

    expect(String(error)).toContain('DB instance unit-stack-writer is insufficient-capacity');
    expect((error as { hint?: string }).hint).toContain('availability zones');
    expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(1);
  });

  it('fails on a failed instance after it was creating', async () => {
    rds.on(DescribeDBInstancesCommand).resolvesOnce(instance('creating')).resolves(instance('failed'));

    const { error } = await settle(waitForInstanceAvailable(ctx, INSTANCE));

    expect(String(error)).toContain('DB instance unit-stack-writer is failed');
    expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(2);
  });

  it('times out naming the instance, the elapsed time and the last status', async () => {
    ctx.timing = realWaitTiming(120_000);
    rds.on(DescribeDBInstancesCommand).resolves(instance('creating'));

    const { error } = await settle(waitForInstanceAvailable(ctx, INSTANCE));

    expect(String(error)).toContain('Timed out after 2m00s waiting for DB instance unit-stack-writer');
    expect(String(error)).toContain('last status: creating');
  });

  it('stops with InterruptedError when the signal aborts between polls', async () => {
    const controller = new AbortController();
    ctx.signal = controller.signal;
    rds.on(DescribeDBInstancesCommand).resolves(instance('creating'));

    const outcome = waitForInstanceAvailable(ctx, INSTANCE).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(5_000);
    controller.abort();

    expect(await outcome).toBeInstanceOf(InterruptedError);
  });

  it('polls a few seconds apart with the default timing, never 30 seconds', async () => {
    const seen: number[] = [];
    rds.on(DescribeDBInstancesCommand).callsFake(() => {
      seen.push(Date.now());
      return instance(seen.length < 8 ? 'creating' : 'available');
    });

    await settle(waitForInstanceAvailable(ctx, INSTANCE));

    const gaps = seen.slice(1).map((t, i) => t - seen[i]!);
    expect(gaps).toHaveLength(7);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(1_000);
      expect(gap).toBeLessThanOrEqual(10_000);
    }
  });
});

describe('waitForInstanceDeleted', () => {
  it('keeps polling while the instance is deleting and finishes when it is not found', async () => {
    rds
      .on(DescribeDBInstancesCommand)
      .resolvesOnce(instance('delete-precheck'))
      .resolvesOnce(instance('deleting'))
      .rejects(notFound());

    const { error } = await settle(waitForInstanceDeleted(ctx, INSTANCE));

    expect(error).toBeUndefined();
    expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(3);
  });

  it('is done at once when the instance is already gone', async () => {
    rds.on(DescribeDBInstancesCommand).rejects(notFound());

    const { error } = await settle(waitForInstanceDeleted(ctx, INSTANCE));

    expect(error).toBeUndefined();
    expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(1);
  });

  it('fails when the instance is stopped instead of going away', async () => {
    rds.on(DescribeDBInstancesCommand).resolves(instance('stopped'));

    const { error } = await settle(waitForInstanceDeleted(ctx, INSTANCE));

    expect(String(error)).toContain('DB instance unit-stack-writer is stopped');
  });
});
