import { DBProxyNotFoundFault, DescribeDBProxiesCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CliError, InterruptedError } from '../../../src/errors.js';
import type { BuildContext } from '../../../src/steps/step.js';
import { waitForProxyAvailable, waitForProxyDeleted } from '../../../src/waiters/proxy.js';
import { realWaitTiming, waiterContext } from '../support/waiter-context.js';
import { settle } from '../support/fake-clock.js';

const rds = mockClient(RDSClient);
const PROXY = 'unit-stack-proxy';

function proxy(status: string) {
  return {
    DBProxies: [
      {
        DBProxyName: PROXY,
        DBProxyArn: 'arn:aws:rds:us-east-1:123456789012:db-proxy:prx-0123456789abcdef0',
        Status: status as 'available',
      },
    ],
  };
}

const notFound = () => new DBProxyNotFoundFault({ message: `DBProxy ${PROXY} not found.`, $metadata: {} });

let ctx: BuildContext;
let progress: string[];

beforeEach(async () => {
  ({ ctx, progress } = await waiterContext(rds));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('waitForProxyAvailable', () => {
  it('keeps polling while the proxy is creating and returns it once available', async () => {
    rds
      .on(DescribeDBProxiesCommand)
      .resolvesOnce(proxy('creating'))
      .resolvesOnce(proxy('creating'))
      .resolves(proxy('available'));

    const { value } = await settle(waitForProxyAvailable(ctx, PROXY));

    expect(value?.Status).toBe('available');
    expect(rds.commandCalls(DescribeDBProxiesCommand)).toHaveLength(3);
    expect(progress[0]).toMatch(/^waiting for RDS proxy unit-stack-proxy: creating \(\d+s\)$/);
  });

  it('keeps polling while a change is being applied (modifying)', async () => {
    rds.on(DescribeDBProxiesCommand).resolvesOnce(proxy('modifying')).resolves(proxy('available'));

    const { value } = await settle(waitForProxyAvailable(ctx, PROXY));

    expect(value?.Status).toBe('available');
    expect(rds.commandCalls(DescribeDBProxiesCommand)).toHaveLength(2);
  });

  it('fails at once on incompatible-network, explaining what it means', async () => {
    rds.on(DescribeDBProxiesCommand).resolves(proxy('incompatible-network'));

    const { error } = await settle(waitForProxyAvailable(ctx, PROXY));

    expect((error as CliError).message).toContain('RDS proxy unit-stack-proxy is incompatible-network');
    expect((error as CliError).message).toContain('subnets or security groups');
    expect((error as CliError).hint).toContain('free IP addresses');
    expect((error as CliError).hint).toContain('proxy.subnets');
    expect(rds.commandCalls(DescribeDBProxiesCommand)).toHaveLength(1);
  });

  it('fails at once on insufficient-resource-limits, naming the quota to raise', async () => {
    rds.on(DescribeDBProxiesCommand).resolves(proxy('insufficient-resource-limits'));

    const { error } = await settle(waitForProxyAvailable(ctx, PROXY));

    expect((error as CliError).message).toContain('RDS proxy unit-stack-proxy is insufficient-resource-limits');
    expect((error as CliError).hint).toContain('Service Quotas');
  });

  it.each(['deleting', 'suspended'])('fails at once when the proxy is %s', async (status) => {
    rds.on(DescribeDBProxiesCommand).resolves(proxy(status));

    const { error } = await settle(waitForProxyAvailable(ctx, PROXY));

    expect((error as CliError).message).toContain(`RDS proxy unit-stack-proxy is ${status}`);
    expect(rds.commandCalls(DescribeDBProxiesCommand)).toHaveLength(1);
  });

  it('fails when the proxy disappears while waiting', async () => {
    rds.on(DescribeDBProxiesCommand).resolvesOnce(proxy('creating')).rejects(notFound());

    const { error } = await settle(waitForProxyAvailable(ctx, PROXY));

    expect((error as CliError).message).toContain('RDS proxy unit-stack-proxy is gone');
    expect((error as CliError).message).toContain('it no longer exists');
  });

  it('times out naming the proxy, the elapsed time and the last status', async () => {
    ctx.timing = realWaitTiming(120_000);
    rds.on(DescribeDBProxiesCommand).resolves(proxy('creating'));

    const { error } = await settle(waitForProxyAvailable(ctx, PROXY));

    expect((error as CliError).message).toBe(
      'Timed out after 2m00s waiting for RDS proxy unit-stack-proxy (last status: creating).',
    );
  });

  it('stops with InterruptedError when the run is aborted', async () => {
    const abort = new AbortController();
    ctx.signal = abort.signal;
    rds.on(DescribeDBProxiesCommand).resolves(proxy('creating'));
    const outcome = settle(waitForProxyAvailable(ctx, PROXY));

    await vi.advanceTimersByTimeAsync(5_000);
    abort.abort();

    expect((await outcome).error).toBeInstanceOf(InterruptedError);
  });

  it('looks again seconds apart, never 30 s or more', async () => {
    const lookedAt: number[] = [];
    rds.on(DescribeDBProxiesCommand).callsFake(() => {
      lookedAt.push(Date.now());
      return proxy(lookedAt.length < 12 ? 'creating' : 'available');
    });

    await settle(waitForProxyAvailable(ctx, PROXY));

    const gaps = lookedAt.slice(1).map((t, i) => t - lookedAt[i]!);
    expect(gaps).toHaveLength(11);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(1_000);
      expect(gap).toBeLessThan(30_000);
    }
  });
});

describe('waitForProxyDeleted', () => {
  it('waits while the proxy is deleting and finishes once it is not found', async () => {
    rds.on(DescribeDBProxiesCommand).resolvesOnce(proxy('deleting')).resolvesOnce(proxy('deleting')).rejects(notFound());

    const { error } = await settle(waitForProxyDeleted(ctx, PROXY));

    expect(error).toBeUndefined();
    expect(rds.commandCalls(DescribeDBProxiesCommand)).toHaveLength(3);
    expect(progress[0]).toContain('waiting for RDS proxy unit-stack-proxy to be deleted: deleting');
  });

  it('finishes at the first look when the proxy is already gone', async () => {
    rds.on(DescribeDBProxiesCommand).rejects(notFound());

    const { error } = await settle(waitForProxyDeleted(ctx, PROXY));

    expect(error).toBeUndefined();
    expect(rds.commandCalls(DescribeDBProxiesCommand)).toHaveLength(1);
  });

  it('times out naming the proxy when it never goes away', async () => {
    ctx.timing = realWaitTiming(60_000);
    rds.on(DescribeDBProxiesCommand).resolves(proxy('deleting'));

    const { error } = await settle(waitForProxyDeleted(ctx, PROXY));

    expect((error as CliError).message).toBe(
      'Timed out after 1m00s waiting for RDS proxy unit-stack-proxy (last status: deleting).',
    );
  });
});
