import { describe, expect, it } from 'vitest';
import { quoteIdent, quoteLiteral } from '../../../src/users/sql-text.js';
import { accessOfMark, createUserStatements, dropUserStatements, userMark } from '../../../src/users/user-sql.js';

describe('the SQL of the user commands', () => {
  it('quotes identifiers and literals so that a quote inside stays text', () => {
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
    expect(quoteLiteral("it's")).toBe("'it''s'");
  });

  it('creates a read-write secrets-mode user with its verifier, mark and CRUD privileges on public, now and by default', () => {
    expect(
      createUserStatements({ stack: 'orders-dev', user: 'app_rw', access: 'read-write', mode: 'secrets', database: 'app', passwordVerifier: 'SCRAM-SHA-256$4096:c2FsdA==$a:b' }),
    ).toEqual([
      `CREATE ROLE "app_rw" LOGIN PASSWORD 'SCRAM-SHA-256$4096:c2FsdA==$a:b'`,
      `COMMENT ON ROLE "app_rw" IS 'rdsproxy-setup stack=orders-dev access=read-write'`,
      'GRANT CONNECT ON DATABASE "app" TO "app_rw"',
      'GRANT USAGE ON SCHEMA public TO "app_rw"',
      'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "app_rw"',
      'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "app_rw"',
      'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "app_rw"',
      'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "app_rw"',
    ]);
  });

  it('creates a read-only IAM-mode user without a password, in rds_iam, with SELECT only', () => {
    expect(createUserStatements({ stack: 'orders-dev', user: 'reports', access: 'read-only', mode: 'iam', database: 'app' })).toEqual([
      'CREATE ROLE "reports" LOGIN',
      `COMMENT ON ROLE "reports" IS 'rdsproxy-setup stack=orders-dev access=read-only'`,
      'GRANT rds_iam TO "reports"',
      'GRANT CONNECT ON DATABASE "app" TO "reports"',
      'GRANT USAGE ON SCHEMA public TO "reports"',
      'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "reports"',
      'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO "reports"',
    ]);
  });

  it('drops a user after taking its privileges, reassigning what it owns only when asked', () => {
    expect(dropUserStatements('app_rw')).toEqual(['GRANT "app_rw" TO CURRENT_USER', 'DROP OWNED BY "app_rw"', 'DROP ROLE "app_rw"']);
    expect(dropUserStatements('app_rw', 'postgres')).toContain('REASSIGN OWNED BY "app_rw" TO "postgres"');
  });

  it('reads the access back from the mark', () => {
    expect(accessOfMark(userMark('orders-dev', 'read-only'))).toBe('read-only');
    expect(accessOfMark('made by hand')).toBeUndefined();
  });
});
