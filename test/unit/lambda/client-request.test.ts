import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_QUERY } from '../../../src/lambda/client-event.js';
import { clientRequest, DEFAULT_CONNECT_TIMEOUT_MS, InvalidClientEvent } from '../../../src/lambda/client-request.js';

const HOST = 'orders-proxy.proxy-abc123xyz.eu-west-1.rds.amazonaws.com';
/** The environment `grant` gives a function, and the region Lambda sets. */
const GRANTED = { PGHOST: HOST, PGPORT: '5432', PGUSER: 'appadmin', PGDATABASE: 'orders', PGSSLMODE: 'verify-full', AWS_REGION: 'eu-west-1' };

describe("where the stack's function connects", () => {
  it("takes the proxy, user and database from the environment grant sets, and the region from Lambda's", () => {
    const request = clientRequest({}, GRANTED);

    expect(request).toEqual({
      target: { host: HOST, port: 5432, user: 'appadmin', database: 'orders', region: 'eu-west-1' },
      dial: undefined,
      sql: DEFAULT_CLIENT_QUERY,
      connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS,
    });
  });

  it('lets the event override each of them, and give the SQL', () => {
    const request = clientRequest(
      { host: 'other.proxy-x.eu-west-1.rds.amazonaws.com', port: 6432, user: 'reader', database: 'sales', region: 'eu-west-2', sql: 'select 1' },
      GRANTED,
    );

    expect(request.target).toEqual({ host: 'other.proxy-x.eu-west-1.rds.amazonaws.com', port: 6432, user: 'reader', database: 'sales', region: 'eu-west-2' });
    expect(request.sql).toBe('select 1');
  });

  it('treats a missing event (an invocation without payload) as an empty one', () => {
    expect(clientRequest(null, GRANTED).target.host).toBe(HOST);
  });

  it("defaults the port to 5432 and the database to postgres, as RDS's do", () => {
    const { target } = clientRequest({}, { PGHOST: HOST, PGUSER: 'appadmin', AWS_REGION: 'eu-west-1' });

    expect(target.port).toBe(5432);
    expect(target.database).toBe('postgres');
  });

  it('dials an IP address given in the event, keeping the proxy host for TLS and the token', () => {
    const request = clientRequest({ dial: { address: '127.0.0.1', port: 15432 } }, GRANTED);

    expect(request.dial).toEqual({ address: '127.0.0.1', port: 15432 });
    expect(request.target.host).toBe(HOST);
  });

  it.each([
    ['no proxy host anywhere', {}, { PGUSER: 'appadmin', AWS_REGION: 'eu-west-1' }, 'No host (PGHOST)'],
    ['no database user anywhere', {}, { PGHOST: HOST, AWS_REGION: 'eu-west-1' }, 'No database user (PGUSER)'],
    ['a port that is not one', { port: 70000 }, GRANTED, 'port must be a port number'],
    ['a port in the environment that is not one', {}, { ...GRANTED, PGPORT: 'five' }, 'PGPORT must be a port number'],
    ['a host name to dial, which would become the TLS server name', { dial: { address: 'localhost', port: 5432 } }, GRANTED, 'dial.address must be an IP address'],
    ['empty SQL', { sql: '  ' }, GRANTED, 'sql is empty'],
    ['a timeout that is not a positive number', { connectTimeoutMs: -5 }, GRANTED, 'connectTimeoutMs must be a positive number'],
  ])('refuses %s, saying what is wrong', (_, event, env, message) => {
    expect(() => clientRequest(event as never, env)).toThrow(InvalidClientEvent);
    expect(() => clientRequest(event as never, env)).toThrow(message);
  });
});
