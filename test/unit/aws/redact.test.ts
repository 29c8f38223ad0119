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
