import { describe, expect, it } from 'vitest';
import { planEnvironment, restoreEnvironment, wantedEnvironment } from '../../../src/grants/environment.js';

const wanted = wantedEnvironment({ host: 'demo-proxy.proxy-abc.us-east-1.rds.amazonaws.com', database: 'app', user: 'postgres' });

describe('the environment grant sets', () => {
  it('is libpq\'s host, port, user, database and verify-full, and never a password', () => {
    expect(wanted).toEqual({
      PGHOST: 'demo-proxy.proxy-abc.us-east-1.rds.amazonaws.com',
      PGPORT: '5432',
      PGUSER: 'postgres',
      PGDATABASE: 'app',
      PGSSLMODE: 'verify-full',
    });
  });
});

describe('planning the environment', () => {
  it('adds what is missing, keeps the function\'s other variables, and records each addition with the value set', () => {
    const plan = planEnvironment({ LOG_LEVEL: 'debug' }, wanted, false);

    expect(plan.variables).toEqual({ LOG_LEVEL: 'debug', ...wanted });
    expect(plan.records).toContainEqual({ variable: 'PGPORT', set: '5432', kind: 'added' });
    expect(plan.records).toHaveLength(5);
    expect(plan.kept).toEqual([]);
  });

  it('changes nothing and records nothing where the value is already the one wanted (a second grant)', () => {
    expect(planEnvironment(wanted, wanted, true)).toEqual({ variables: wanted, records: [], kept: [] });
  });

  it('keeps a different value and says how to replace it, unless told to overwrite', () => {
    const plan = planEnvironment({ PGUSER: 'reporting' }, wanted, false);

    expect(plan.variables.PGUSER).toBe('reporting');
    expect(plan.records.map((r) => r.variable)).not.toContain('PGUSER');
    expect(plan.kept).toEqual([{ variable: 'PGUSER', reason: 'has another value, kept (pass --overwrite-env to replace it)' }]);
  });

  it('with --overwrite-env replaces it and records the prior value for revoke', () => {
    const plan = planEnvironment({ PGSSLMODE: 'require' }, wanted, true);

    expect(plan.variables.PGSSLMODE).toBe('verify-full');
    expect(plan.records).toContainEqual({ variable: 'PGSSLMODE', set: 'verify-full', kind: 'replaced', prior: 'require' });
  });

  it('does not replace a value that no tag could hold for revoke to restore, even with --overwrite-env, and says why', () => {
    const plan = planEnvironment({ PGHOST: 'db.internal,replica.internal' }, wanted, true);

    expect(plan.variables.PGHOST).toBe('db.internal,replica.internal');
    expect(plan.records.map((r) => r.variable)).not.toContain('PGHOST');
    expect(plan.kept[0]!.reason).toContain('cannot be recorded in a tag for revoke to restore');
  });
});

describe('restoring the environment', () => {
  const records = [
    { variable: 'PGHOST', set: 'p.example', kind: 'added' },
    { variable: 'PGSSLMODE', set: 'verify-full', kind: 'replaced', prior: 'require' },
  ] as const;

  it('removes what grant added and puts back what it replaced', () => {
    const restore = restoreEnvironment({ PGHOST: 'p.example', PGSSLMODE: 'verify-full', LOG_LEVEL: 'debug' }, records);

    expect(restore.variables).toEqual({ PGSSLMODE: 'require', LOG_LEVEL: 'debug' });
    expect(restore.undone).toEqual(['PGHOST removed', 'PGSSLMODE restored']);
    expect(restore.kept).toEqual([]);
  });

  it('keeps a value the user changed after grant, and says so', () => {
    const restore = restoreEnvironment({ PGHOST: 'elsewhere.example', PGSSLMODE: 'verify-full' }, records);

    expect(restore.variables.PGHOST).toBe('elsewhere.example');
    expect(restore.kept).toEqual([{ variable: 'PGHOST', reason: 'was changed after grant, kept as it is' }]);
  });

  it('has nothing to do the second time', () => {
    const once = restoreEnvironment({ PGHOST: 'p.example', PGSSLMODE: 'verify-full' }, records);
    const twice = restoreEnvironment(once.variables, records);

    expect(twice).toEqual({ variables: once.variables, undone: [], kept: [] });
  });
});
