import { describe, expect, it } from 'vitest';
import { connectionEnv, envScript } from '../../../src/connect/env.js';

const TARGET = {
  proxyName: 'orders-proxy',
  host: 'orders-proxy.proxy-abc123xyz.eu-west-1.rds.amazonaws.com',
  port: 5432,
  user: 'appadmin',
  database: 'orders',
  region: 'eu-west-1',
};

describe('the PG* environment for the proxy', () => {
  it('names the endpoint, port, user and database, and demands full certificate verification', () => {
    expect(connectionEnv(TARGET)).toMatchObject({
      PGHOST: 'orders-proxy.proxy-abc123xyz.eu-west-1.rds.amazonaws.com',
      PGPORT: '5432',
      PGUSER: 'appadmin',
      PGDATABASE: 'orders',
      PGSSLMODE: 'verify-full',
    });
  });

  it('never holds a password', () => {
    expect(Object.keys(connectionEnv(TARGET))).not.toContain('PGPASSWORD');
    expect(envScript(TARGET)).not.toMatch(/^export PGPASSWORD/m);
  });

  it('prints export lines a shell can eval, and how to sign the token psql will ask for', () => {
    const lines = envScript(TARGET).split('\n');

    expect(lines).toContain("export PGHOST='orders-proxy.proxy-abc123xyz.eu-west-1.rds.amazonaws.com'");
    expect(lines).toContain("export PGSSLMODE='verify-full'");
    expect(lines.filter((l) => !l.startsWith('#')).every((l) => /^export PG[A-Z]+='[^']*'$/.test(l))).toBe(true);
    expect(lines.join('\n')).toContain(
      'aws rds generate-db-auth-token --hostname orders-proxy.proxy-abc123xyz.eu-west-1.rds.amazonaws.com --port 5432 --username appadmin --region eu-west-1',
    );
  });
});
