import { hostname } from 'node:os';
import { DeleteParameterCommand, PutParameterCommand, SSMServiceException } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAwsClients } from '../../../src/aws/clients.js';
import type { CliError } from '../../../src/errors.js';
import type { LeaseEvent, StackLeaseSettings } from '../../../src/lease/lease-context.js';
import { LeaseHeldError, LeaseLostError } from '../../../src/lease/lease-errors.js';
import type { LeaseHolder } from '../../../src/lease/lease-holder.js';
import { acquireStackLease, checkStackLease, releaseStackLease, withStackLease } from '../../../src/lease/stack-lease.js';
import { fakeParameterStore } from '../support/parameter-store.js';

const STACK = 'unit-stack';
const LEASE = `/rdsproxy-setup/${STACK}/lease`;
const START = new Date('2026-01-01T10:00:00.000Z');
const TIMING = { renewEveryMs: 20_000, staleAfterMs: 120_000 };

const store = fakeParameterStore();
let events: LeaseEvent[];

/** The lease settings of one run, as `up` or `teardown` gives them. */
function run(runId: string): StackLeaseSettings {
  return {
    clients: createAwsClients({ region: 'us-east-1' }),
    stack: STACK,
    region: 'us-east-1',
    runId,
    notify: (event) => events.push(event),
    timing: TIMING,
  };
}

/** Another run's holder, as it wrote itself into the lease. */
function holder(runId: string, command = 'up'): LeaseHolder {
  return { runId, command, host: 'build-7', pid: 4242, startedAt: '2026-01-01T09:58:00.000Z', renewedAt: '2026-01-01T09:59:30.000Z' };
}

/** AWS's refusal of a call the credentials lack the permission for. */
const denied = (action: string) =>
  new SSMServiceException({
    name: 'AccessDeniedException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: `User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ${action} on resource: ${LEASE}`,
  });
const caught = (promise: Promise<unknown>) => promise.then(() => undefined, (err: unknown) => err as CliError);
const writes = () => store.ssm.commandCalls(PutParameterCommand).length + store.ssm.commandCalls(DeleteParameterCommand).length;

beforeEach(() => {
  vi.useFakeTimers({ now: START });
  store.ssm.resetHistory();
  store.parameters.clear();
  store.onCall(undefined);
  events = [];
});

afterEach(() => {
  vi.useRealTimers();
});

describe('taking the stack lease', () => {
  it('creates the lease only if it is absent, naming this run, its command, host, pid and start, tagged with the stack', async () => {
    const lease = await acquireStackLease(run('run-a'), 'up', { takeOver: false });

    const input = store.ssm.commandCalls(PutParameterCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ Name: LEASE, Type: 'String', Tier: 'Standard', Overwrite: false, Tags: [{ Key: 'rdsproxy-setup:stack', Value: STACK }] });
    expect(store.valueOf(LEASE)).toEqual({
      runId: 'run-a',
      command: 'up',
      host: hostname(),
      pid: process.pid,
      startedAt: START.toISOString(),
      renewedAt: START.toISOString(),
    });
    await lease.release();
  });

  it('refuses while another run holds it and renews it, naming that run, without taking it', async () => {
    store.put(LEASE, holder('run-a'), new Date(START.getTime() - 30_000));

    const err = await caught(acquireStackLease(run('run-b'), 'up', { takeOver: false }));

    expect(err).toBeInstanceOf(LeaseHeldError);
    expect(err?.exitCode).toBe(1);
    expect(err?.message).toBe(
      `Stack ${STACK} is being changed by another run: run run-a (up on host build-7, pid 4242, started 2026-01-01T09:58:00.000Z), last renewed 30s ago.`,
    );
    expect(err?.hint).toContain('taken over automatically once it has gone 2m00s without renewal (in 1m30s), or at once with --take-over-lease');
    expect(store.valueOf(LEASE)?.runId).toBe('run-a');
  });

  it('holds the lease when its own create was performed but the answer lost (the retry found it)', async () => {
    store.onCall((operation, name) => {
      // The first create lands, and its answer never arrives: the SDK's retry meets the lease.
      if (operation === 'PutParameter' && name === LEASE && !store.parameters.has(LEASE)) {
        store.put(LEASE, { ...holder('run-a'), runId: 'run-a' });
        store.onCall(undefined);
      }
    });

    const lease = await acquireStackLease(run('run-a'), 'teardown', { takeOver: false });

    expect(lease.holder.runId).toBe('run-a');
    await lease.release();
    expect(store.parameters.has(LEASE)).toBe(false);
  });
  it('removes the lease again when AWS made it but every answer was lost, so the stack is not blocked', async () => {
    store.onCall((operation, name, input) => {
      if (operation !== 'PutParameter' || name !== LEASE) return;
      if (!store.parameters.has(LEASE)) store.put(LEASE, JSON.parse(input.Value!));
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    });

    await expect(acquireStackLease(run('run-a'), 'up', { takeOver: false })).rejects.toThrow('cannot reach the AWS endpoint (connection reset)');

    expect(store.parameters.has(LEASE)).toBe(false);
  });
});

describe('checking the stack lease before the first write', () => {
  it('refuses naming the holder with no write at all', async () => {
    store.put(LEASE, holder('run-a', 'teardown'), new Date(START.getTime() - 5_000));

    const err = await caught(checkStackLease(run('run-b'), { takeOver: false }));

    expect(err?.message).toContain('run run-a (teardown on host build-7, pid 4242, started 2026-01-01T09:58:00.000Z), last renewed 5s ago');
    expect(err?.code).toBe('LeaseHeld');
    expect(writes()).toBe(0);
  });

  it('lets the run go on to take a free lease, a stale one, or any with --take-over-lease', async () => {
    await expect(checkStackLease(run('run-b'), { takeOver: false })).resolves.toBeUndefined();
    store.put(LEASE, holder('run-a'), new Date(START.getTime() - 121_000));
    await expect(checkStackLease(run('run-b'), { takeOver: false })).resolves.toBeUndefined();
    store.put(LEASE, holder('run-a'), START);
    await expect(checkStackLease(run('run-b'), { takeOver: true })).resolves.toBeUndefined();
    expect(writes()).toBe(0);
  });
});

describe('holding the stack lease', () => {
  it('renews it every 20 s while the run works, so it never looks stale', async () => {
    const lease = await acquireStackLease(run('run-a'), 'up', { takeOver: false });

    await vi.advanceTimersByTimeAsync(5 * 60_000);

    expect(store.parameters.get(LEASE)?.version).toBe(1 + 15);
    expect(store.valueOf(LEASE)?.renewedAt).toBe(new Date(START.getTime() + 5 * 60_000).toISOString());
    await expect(checkStackLease(run('run-b'), { takeOver: false })).rejects.toBeInstanceOf(LeaseHeldError);
    await lease.release();
  });

  it('deletes it on release, and renews it no more', async () => {
    const lease = await acquireStackLease(run('run-a'), 'up', { takeOver: false });

    await lease.release();
    await vi.advanceTimersByTimeAsync(60_000);

    expect(store.parameters.has(LEASE)).toBe(false);
    expect(store.ssm.commandCalls(PutParameterCommand)).toHaveLength(1);
  });

  it('tells the run when another run has taken it over, stops renewing it, and leaves it to that run on release', async () => {
    const lease = await acquireStackLease(run('run-a'), 'up', { takeOver: false });
    store.put(LEASE, holder('run-b'));

    await vi.advanceTimersByTimeAsync(20_000);
    await lease.release();

    expect(lease.lost.aborted).toBe(true);
    expect(lease.lost.reason).toBeInstanceOf(LeaseLostError);
    expect((lease.lost.reason as Error).message).toContain('was taken over by run run-b (up on host build-7');
    expect(events).toEqual([{ type: 'lost', to: holder('run-b') }]);
    expect(store.valueOf(LEASE)?.runId).toBe('run-b');
  });

  it('releases it only once, however often the run asks', async () => {
    const lease = await acquireStackLease(run('run-a'), 'up', { takeOver: false });

    await lease.release();
    await lease.release();

    expect(store.ssm.commandCalls(DeleteParameterCommand)).toHaveLength(1);
  });

  it('fails a run that otherwise succeeded when the lease cannot be released for want of a permission, naming it', async () => {
    const settings = run('run-a');
    const lease = await acquireStackLease(settings, 'up', { takeOver: false });
    store.onCall((operation) => {
      if (operation === 'DeleteParameter') throw denied('ssm:DeleteParameter');
    });

    const err = await caught(releaseStackLease(settings, lease, { raiseDenied: true }));

    expect(err?.message).toContain(`Stack ${STACK} is done, but its lease could not be released`);
    expect(err?.message).toContain('not authorized to perform: ssm:DeleteParameter');
    expect(events).toEqual([]);
  });

  it('only warns when the lease cannot be released after the run failed, or for another reason', async () => {
    const settings = run('run-a');
    const lease = await acquireStackLease(settings, 'up', { takeOver: false });
    store.onCall((operation) => {
      if (operation === 'DeleteParameter') throw denied('ssm:DeleteParameter');
    });

    await releaseStackLease(settings, lease);

    expect(events).toEqual([{ type: 'release-failed', error: expect.objectContaining({ message: expect.stringContaining('ssm:DeleteParameter') }) }]);
  });

  it('releases it when the work done under it fails, and the failure stands', async () => {
    const work = withStackLease(run('run-a'), 'teardown', { takeOver: false }, async () => {
      throw new Error('the work failed');
    });

    await expect(work).rejects.toThrow('the work failed');
    expect(store.parameters.has(LEASE)).toBe(false);
  });
});

describe('taking over the lease of a run that stopped', () => {
  it('takes over a lease not renewed for 2 minutes, says it was stale, and removes its takeover marker', async () => {
    store.put(LEASE, holder('run-a'), new Date(START.getTime() - 125_000));

    const lease = await acquireStackLease(run('run-b'), 'up', { takeOver: false });

    expect(store.valueOf(LEASE)?.runId).toBe('run-b');
    expect(events).toEqual([{ type: 'taken-over', from: holder('run-a'), because: 'stale', renewedAgoMs: 125_000, staleAfterMs: 120_000 }]);
    expect([...store.parameters.keys()]).toEqual([LEASE]);
    await lease.release();
  });

  it('takes over a live lease at once with --take-over-lease, and says so', async () => {
    store.put(LEASE, holder('run-a'), new Date(START.getTime() - 3_000));

    const lease = await acquireStackLease(run('run-b'), 'teardown', { takeOver: true });

    expect(store.valueOf(LEASE)).toMatchObject({ runId: 'run-b', command: 'teardown' });
    expect(events).toEqual([{ type: 'taken-over', from: holder('run-a'), because: 'flag', renewedAgoMs: 3_000, staleAfterMs: 120_000 }]);
    await lease.release();
  });

  it('lets exactly one of two runs take over the same stale lease; the other is refused naming the winner', async () => {
    store.put(LEASE, holder('run-a'), new Date(START.getTime() - 300_000));
    // The worst timing: both read the lease as stale, and run-b pauses just before it writes
    // itself into the lease until run-c has done all it can.
    let cDone: Promise<unknown> = Promise.resolve();
    store.onCall(async (operation, name, input) => {
      if (operation === 'PutParameter' && name === LEASE && input.Overwrite && input.Value?.includes('"run-b"')) await cDone;
    });

    const bDone = acquireStackLease(run('run-b'), 'up', { takeOver: false }).catch((err: unknown) => err as CliError);
    cDone = acquireStackLease(run('run-c'), 'up', { takeOver: false }).catch((err: unknown) => err as CliError);
    const [b, c] = await Promise.all([bDone, cDone]);

    const winners = [b, c].filter((r) => !(r instanceof Error));
    const refused = [b, c].filter((r): r is CliError => r instanceof Error);
    expect(winners).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const winner = store.valueOf(LEASE)?.runId as string;
    expect(['run-b', 'run-c']).toContain(winner);
    expect(refused[0]!.message).toContain(`run ${winner} (up on host ${hostname()}`);
    expect(refused[0]!.code).toBe('LeaseHeld');
  });

  it('does not take over a lease its holder renews between the stale read and the takeover: that run is alive', async () => {
    store.put(LEASE, holder('run-a'), new Date(START.getTime() - 130_000));
    store.onCall((operation, name) => {
      // The moment the taker has won its marker, the holder wakes up and renews.
      if (operation === 'PutParameter' && name.includes('/lease-takeover/')) {
        store.onCall(undefined);
        store.put(LEASE, holder('run-a'));
      }
    });

    const err = await caught(acquireStackLease(run('run-b'), 'up', { takeOver: false }));

    expect(err).toBeInstanceOf(LeaseHeldError);
    expect(err?.message).toContain('run run-a');
    expect(store.valueOf(LEASE)?.runId).toBe('run-a');
    expect([...store.parameters.keys()]).toEqual([LEASE]);
  });

  it('skips the marker of a taker that stopped before finishing, once that marker is stale too', async () => {
    store.put(LEASE, holder('run-a'), new Date(START.getTime() - 600_000));
    store.put(`/rdsproxy-setup/${STACK}/lease-takeover/run-a-1`, holder('run-x'), new Date(START.getTime() - 300_000));

    const lease = await acquireStackLease(run('run-b'), 'up', { takeOver: false });

    expect(store.valueOf(LEASE)?.runId).toBe('run-b');
    expect(store.ssm.commandCalls(PutParameterCommand).map((c) => c.args[0].input.Name)).toContain(`/rdsproxy-setup/${STACK}/lease-takeover/run-a-2`);
    await lease.release();
  });

  it('is refused naming the other taker while that taker\'s marker is fresh', async () => {
    store.put(LEASE, holder('run-a'), new Date(START.getTime() - 600_000));
    store.put(`/rdsproxy-setup/${STACK}/lease-takeover/run-a-1`, holder('run-x'), new Date(START.getTime() - 1_000));

    const err = await caught(acquireStackLease(run('run-b'), 'up', { takeOver: false }));

    expect(err?.message).toBe(`Stack ${STACK}'s lease is being taken over by another run: run run-x (up on host build-7, pid 4242, started 2026-01-01T09:58:00.000Z).`);
    expect(store.valueOf(LEASE)?.runId).toBe('run-a');
  });
});
