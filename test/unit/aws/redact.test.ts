import { describe, expect, it } from 'vitest';
import { REDACTED, redact } from '../../../src/aws/redact.js';

const PASSWORD = 'Sup3r-S3cret-Pa55!';

describe('redact', () => {
  it('replaces the secret string of a CreateSecret input and keeps the rest', () => {
    const input = { Name: 'rdsproxy-setup/demo/master', SecretString: JSON.stringify({ username: 'postgres', password: PASSWORD }) };

    expect(redact(input)).toEqual({ Name: 'rdsproxy-setup/demo/master', SecretString: REDACTED });
  });

  it.each(['MasterUserPassword', 'SecretString', 'SecretBinary', 'SessionToken', 'Credentials', 'Signature', 'NextToken'])(
    'redacts the value of a %s key',
    (key) => {
      expect(redact({ [key]: PASSWORD })).toEqual({ [key]: REDACTED });
    },
  );

  it('redacts secrets nested in objects and arrays', () => {
    const input = { Outer: { Items: [{ Id: 'a', Password: PASSWORD }, { Id: 'b' }] } };

    const out = redact(input);

    expect(out).toEqual({ Outer: { Items: [{ Id: 'a', Password: REDACTED }, { Id: 'b' }] } });
    expect(JSON.stringify(out)).not.toContain(PASSWORD);
  });

  it('leaves the original value untouched', () => {
    const input = { MasterUserPassword: PASSWORD };

    redact(input);

    expect(input.MasterUserPassword).toBe(PASSWORD);
  });

  it('drops the SDK response metadata', () => {
    expect(redact({ DBProxies: [], $metadata: { httpStatusCode: 200, requestId: 'r-1' } })).toEqual({ DBProxies: [] });
  });

  it("shows a Lambda function's environment variables by name only, whatever they are called", () => {
    const input = { FunctionName: 'orders-api', Environment: { Variables: { PGHOST: 'p.example', STRIPE_API_KEY: 'sk_live_abc', DATABASE_URL: `postgres://app:${PASSWORD}@db/app` } } };

    const out = JSON.stringify(redact(input));

    expect(out).toBe(`{"FunctionName":"orders-api","Environment":{"Variables":{"PGHOST":"${REDACTED}","STRIPE_API_KEY":"${REDACTED}","DATABASE_URL":"${REDACTED}"}}}`);
  });

  it('shows bytes (an Invoke payload, a zip) as their count, never their content', () => {
    const payload = Buffer.from(`{"command":"ALTER ROLE app PASSWORD '${PASSWORD}'"}`);
    const input = { FunctionName: 'orders-api', Payload: payload, ZipFile: new Uint8Array(41_000) };

    expect(redact(input)).toEqual({ FunctionName: 'orders-api', Payload: `<${payload.length} bytes>`, ZipFile: '<41000 bytes>' });
  });

  it('hides the SQL password literal of a Data API statement and keeps the rest of the text', () => {
    const input = { sql: `CREATE ROLE app LOGIN PASSWORD '${PASSWORD}'`, database: 'app' };

    expect(redact(input)).toEqual({ sql: `CREATE ROLE app LOGIN PASSWORD '${REDACTED}'`, database: 'app' });
  });

  it('shows nothing nested deeper than it checks, so no secret there goes out unchecked', () => {
    let deep: Record<string, unknown> = { Password: PASSWORD };
    for (let i = 0; i < 12; i++) deep = { Level: deep };

    expect(JSON.stringify(redact(deep))).not.toContain(PASSWORD);
  });

  it('returns primitives and null as they are', () => {
    expect(redact('plain')).toBe('plain');
    expect(redact(7)).toBe(7);
    expect(redact(null)).toBeNull();
    expect(redact(undefined)).toBeUndefined();
  });

  it('does not recurse without end on a value that refers to itself', () => {
    const node: Record<string, unknown> = { Name: 'loop' };
    node.Self = node;

    expect(() => redact(node)).not.toThrow();
  });
});
