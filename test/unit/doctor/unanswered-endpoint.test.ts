import { describe, expect, it } from 'vitest';
import { noteEndpoint } from '../../../src/aws/unanswered.js';
import { AWS_CALL_TIMING } from '../../../src/config/timing.js';
import { read, UNANSWERED_READ } from '../../../src/doctor/read.js';
import type { Read, Snapshot } from '../../../src/doctor/snapshot.js';
import { check, checkAll, healthySnapshot } from './healthy-snapshot.js';

const ENDPOINT = 'https://rds.us-east-1.amazonaws.com';

/** What the SDK throws after its retries when the endpoint refused every connection. */
function refused(endpoint = ENDPOINT): Error {
  const err = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED', $metadata: { attempts: 6 } });
  noteEndpoint(err, endpoint, AWS_CALL_TIMING);
  return err;
}

/** What the SDK throws when no attempt got an answer in time. */
function timedOut(endpoint = ENDPOINT): Error {
  const err = Object.assign(new Error('a request has exceeded the configured 6000 ms requestTimeout.'), { name: 'TimeoutError', code: 'ETIMEDOUT', $metadata: { attempts: 6 } });
  noteEndpoint(err, endpoint, AWS_CALL_TIMING);
  return err;
}

const unanswered = <T>(err: Error): Promise<Read<T>> => read<T>('reading RDS proxy orders-proxy', () => Promise.reject(err));

describe('a doctor read whose endpoint never answered', () => {
  it('points the checks to account.identity and keeps the endpoint and what to check for it', async () => {
    const r = await unanswered(refused());

    expect(r).toMatchObject({
      ok: false,
      error: UNANSWERED_READ,
      code: 'EndpointUnreachable',
      unanswered: { endpoint: ENDPOINT, description: `cannot reach the AWS endpoint ${ENDPOINT} (connection refused, 6 attempts)` },
    });
  });

  it('says it timed out when no answer came in time', async () => {
    const r = await unanswered(timedOut());

    expect(r).toMatchObject({ code: 'EndpointTimeout', unanswered: { description: `timed out: the AWS endpoint ${ENDPOINT} did not answer (no answer within 6s, 6 attempts)` } });
  });
});

describe('doctor with an endpoint that cannot be reached', () => {
  /** Every read of a healthy snapshot, failed as the endpoint made it fail. */
  async function unreachableEverywhere(err: () => Error): Promise<Snapshot> {
    const snapshot = healthySnapshot() as unknown as Record<string, unknown>;
    for (const [key, field] of Object.entries(snapshot)) {
      if (field instanceof Map) for (const k of field.keys()) field.set(k, await unanswered(err()));
      else if (typeof field === 'object' && field !== null && 'ok' in field) snapshot[key] = await unanswered(err());
    }
    return snapshot as unknown as Snapshot;
  }

  it('reports the endpoint once, as the root cause in account.identity, with a fix about the endpoint and not the credentials', async () => {
    const results = await checkAll(await unreachableEverywhere(() => refused()));

    const identity = results.get('account.identity')!;
    expect(identity.status).toBe('fail');
    expect(identity.evidence).toBe(`Cannot reach the AWS endpoint ${ENDPOINT} (connection refused, 6 attempts).`);
    expect(identity.fix).toContain(ENDPOINT);
    expect(identity.fix).not.toMatch(/aws configure|get-caller-identity/);
    const naming = [...results.values()].filter((r) => `${r.evidence} ${r.fix ?? ''}`.includes(ENDPOINT)).map((r) => r.id);
    expect(naming).toEqual(['account.identity']);
  });

  it('skips every other check that needed a read of it, pointing to account.identity', async () => {
    const results = await checkAll(await unreachableEverywhere(() => timedOut()));

    const others = [...results.values()].filter((r) => r.id !== 'account.identity');
    expect(others.filter((r) => r.status !== 'skip').map((r) => `${r.id}: ${r.status}`)).toEqual([]);
    expect(results.get('proxy.status')?.evidence).toBe(UNANSWERED_READ);
    expect(results.get('logs.recent-errors')?.evidence).toBe(UNANSWERED_READ);
  });

  it('still names the endpoint another service could not reach when the credentials resolved', async () => {
    const snapshot = healthySnapshot();
    const logs = 'https://logs.us-east-1.amazonaws.com';
    snapshot.recentLogs = await unanswered(timedOut(logs));

    const result = await check('account.identity', snapshot);

    expect(result.status).toBe('fail');
    expect(result.evidence).toMatch(/^Account \d+ as arn:aws:iam::\d+:\S+, but: Timed out: the AWS endpoint https:\/\/logs\.us-east-1\.amazonaws\.com did not answer/);
  });
});
