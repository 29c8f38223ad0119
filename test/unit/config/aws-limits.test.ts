import { describe, expect, it } from 'vitest';
import { AWS_LIMITS, nameProblem, POSTGRES_RESERVED_WORDS } from '../../../src/config/aws-limits.js';

describe('AWS_LIMITS', () => {
  it('names for every limit the AWS page that documents it', () => {
    for (const [name, limit] of Object.entries(AWS_LIMITS)) {
      expect(limit.source, name).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/[A-Za-z0-9]+\/latest\/(?:APIReference|api)\/API_\w+\.html$/);
    }
    expect(POSTGRES_RESERVED_WORDS.source).toMatch(/^https:\/\/www\.postgresql\.org\/docs\//);
  });

  it('holds the connection borrow timeout to the 0-300 seconds of ConnectionPoolConfiguration', () => {
    expect(AWS_LIMITS.connectionBorrowTimeout).toMatchObject({ min: 0, max: 300 });
  });
});

describe('nameProblem', () => {
  it('finds nothing wrong with a name that passes the rule', () => {
    expect(nameProblem('orders-proxy', AWS_LIMITS.dbProxyName)).toBeUndefined();
  });

  it.each(['orders--proxy', 'orders-proxy-', '1orders', 'o'.repeat(64)])('gives the rule in words for "%s"', (name) => {
    expect(nameProblem(name, AWS_LIMITS.dbProxyName)).toBe(AWS_LIMITS.dbProxyName.rule);
  });

  it('refuses a reserved name whatever its case', () => {
    expect(nameProblem('Admin', AWS_LIMITS.masterUsername)).toBe('"Admin" is reserved');
  });

  it('refuses a name with a reserved prefix', () => {
    expect(nameProblem('pg_owner', AWS_LIMITS.masterUsername)).toBe('names starting "pg_" are reserved');
  });
});
