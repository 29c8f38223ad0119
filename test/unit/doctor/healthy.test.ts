import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../../src/doctor/check.js';
import { checkAll, healthySnapshot } from './healthy-snapshot.js';

describe('doctor on a healthy proxy', () => {
  it('passes every check, in the order DOCTOR.md lists them', async () => {
    const results = await checkAll(healthySnapshot());
    const notPassing = [...results.values()].filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.status} ${r.evidence}`);
    expect(notPassing).toEqual([]);
    expect([...results.keys()]).toEqual([...CHECK_IDS]);
  });

  it('gives no fix for a check that passed', async () => {
    const results = await checkAll(healthySnapshot());
    expect([...results.values()].filter((r) => r.fix !== undefined)).toEqual([]);
  });

  it('skips the client checks that need a client when none is given, saying how to give one', async () => {
    const results = await checkAll(healthySnapshot(), {});
    for (const id of ['sg.client-to-proxy', 'client.endpoint', 'client.connect-permission', 'client.same-vpc'] as const) {
      expect(results.get(id)?.status, id).toBe('skip');
      expect(results.get(id)?.fix, id).toMatch(/--lambda/);
    }
    expect(results.get('client.user-matches')?.status).toBe('skip');
    expect(results.get('client.user-matches')?.fix).toMatch(/--user/);
  });
});
