import { describe, expect, it } from 'vitest';
import { missing } from '../../../src/doctor/read.js';
import { check, healthySnapshot } from './healthy-snapshot.js';

describe('account.identity', () => {
  it('fails when credentials do not resolve, with how to configure them', async () => {
    const snapshot = healthySnapshot();
    snapshot.identity = missing('reading the caller identity: Could not load credentials from any providers');
    const result = await check('account.identity', snapshot);
    expect(result.status).toBe('fail');
    expect(result.fix).toContain('aws sts get-caller-identity');
  });
});
