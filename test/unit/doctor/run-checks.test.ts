import { describe, expect, it } from 'vitest';
import { SkipCheck, type Check } from '../../../src/doctor/check.js';
import { runChecks } from '../../../src/doctor/run-checks.js';
import { localPermissions } from '../../../src/doctor/permissions.js';
import { healthySnapshot } from './healthy-snapshot.js';

const ctx = () => ({ snapshot: healthySnapshot(), options: {}, permissions: localPermissions('test') });

describe('running checks', () => {
  it('turns an unexpected error into a skip naming the error, and still runs the rest', async () => {
    const checks: Check[] = [
      { id: 'proxy.status', title: 'a', group: 'beyond', run: () => { throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }); } },
      { id: 'proxy.auth', title: 'b', group: 'beyond', run: () => ({ status: 'pass', evidence: 'fine' }) },
    ];
    const results = await runChecks(checks, ctx());
    expect(results.map((r) => [r.id, r.status, r.evidence])).toEqual([
      ['proxy.status', 'skip', 'the check could not run: ThrottlingException: Rate exceeded'],
      ['proxy.auth', 'pass', 'fine'],
    ]);
  });

  it('turns a missing input into a skip with its reason', async () => {
    const results = await runChecks([{ id: 'proxy.auth', title: 'b', group: 'beyond', run: () => { throw new SkipCheck('no proxy'); } }], ctx());
    expect(results[0]).toMatchObject({ status: 'skip', evidence: 'no proxy' });
  });

  it('runs the checks of one phase at the same time and shows later phases their results', async () => {
    let running = 0;
    let most = 0;
    const slow = (id: 'proxy.status' | 'proxy.auth'): Check => ({
      id,
      title: id,
      group: 'beyond',
      run: async () => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return { status: 'fail', evidence: id, fix: 'x' };
      },
    });
    const later: Check = { id: 'logs.debug-logging', title: 'l', group: 'debug-logs', phase: 2, run: ({ earlier }) => ({ status: 'pass', evidence: earlier.map((r) => r.id).join(',') }) };
    const results = await runChecks([later, slow('proxy.status'), slow('proxy.auth')], ctx());
    expect(most).toBe(2);
    expect(results[0]).toMatchObject({ id: 'logs.debug-logging', evidence: 'proxy.status,proxy.auth' });
  });
});
