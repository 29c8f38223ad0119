import { describe, expect, it } from 'vitest';
import { got, missing } from '../../../src/doctor/read.js';
import type { SecretSnapshot } from '../../../src/doctor/snapshot.js';
import { check, healthySnapshot, SECRET_ARN, value } from './healthy-snapshot.js';

describe('secret.shape', () => {
  const secret = (change: (s: SecretSnapshot) => void) => {
    const snapshot = healthySnapshot();
    change(value<SecretSnapshot>(snapshot.secrets.get(SECRET_ARN)!));
    return snapshot;
  };

  it('fails a secret without a password key, naming the keys it has', async () => {
    const result = await check('secret.shape', secret((s) => (s.value = got({ json: true, keys: ['username'], username: 'app_owner' }))));
    expect(result.status).toBe('fail');
    expect(result.evidence).toBe('Secret orders/db has keys username but lacks password.');
    expect(result.fix).toContain(`aws secretsmanager put-secret-value --secret-id ${SECRET_ARN}`);
  });

  it('fails a secret scheduled for deletion, with the restore command', async () => {
    const result = await check('secret.shape', secret((s) => (s.deletedDate = new Date('2026-01-02T00:00:00Z'))));
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('scheduled for deletion');
    expect(result.fix).toBe(`aws secretsmanager restore-secret --secret-id ${SECRET_ARN}`);
  });

  it('is skipped with the reason when your credentials may not read the value', async () => {
    const result = await check(
      'secret.shape',
      secret((s) => (s.value = missing('reading the value of secret: not authorized (AccessDeniedException)', 'AccessDeniedException'))),
    );
    expect(result.status).toBe('skip');
    expect(result.evidence).toContain('could not be read with your credentials');
    expect(result.evidence).toContain('AccessDeniedException');
  });

  it('fails a secret that no longer exists', async () => {
    const snapshot = healthySnapshot();
    snapshot.secrets.set(SECRET_ARN, missing('reading secret: not found (ResourceNotFoundException)', 'ResourceNotFoundException'));
    const result = await check('secret.shape', snapshot);
    expect(result.status).toBe('fail');
    expect(result.evidence).toBe(`Secret ${SECRET_ARN} does not exist.`);
  });
});
