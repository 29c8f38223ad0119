import { describe, expect, it } from 'vitest';
import { connectOptions } from '../../../src/connect/connect-options.js';
import { UsageError } from '../../../src/errors.js';

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('connect options', () => {
  it('reads --via as host and port, IPv6 in brackets too', () => {
    expect(connectOptions({ via: '127.0.0.1:15432' }).via).toEqual({ host: '127.0.0.1', port: 15432 });
    expect(connectOptions({ via: 'localhost:5432' }).via).toEqual({ host: 'localhost', port: 5432 });
    expect(connectOptions({ via: '[::1]:6432' }).via).toEqual({ host: '::1', port: 6432 });
  });

  it.each(['127.0.0.1', '127.0.0.1:0', '127.0.0.1:70000', ':5432', 'host:port', 'a b:1'])(
    'rejects --via "%s" as bad usage (exit 2)',
    (via) => {
      expect(() => connectOptions({ via })).toThrow(UsageError);
      expect(() => connectOptions({ via })).toThrow(`--via "${via}" is not host:port`);
    },
  );

  it('rejects an invalid --user and --db with exit 2', () => {
    expect(() => connectOptions({ user: 'app-user' })).toThrow(/--user "app-user" is not a valid database user name/);
    expect(() => connectOptions({ user: 'rdsadmin' })).toThrow(/reserved/);
    expect(() => connectOptions({ db: 'template1' })).toThrow(/--db "template1" is reserved/);
    expect(thrownBy(() => connectOptions({ db: '1orders' }))).toMatchObject({ exitCode: 2 });
  });

  it('rejects an invalid proxy name and an empty --command', () => {
    expect(() => connectOptions({ proxy: 'bad--name' })).toThrow(/--proxy "bad--name" is not a valid proxy name/);
    expect(() => connectOptions({ command: '  ' })).toThrow(/--command is empty/);
  });

  it('takes --print-snippet or --print-env as the mode, not both', () => {
    expect(connectOptions({}).mode).toBe('query');
    expect(connectOptions({ printSnippet: true }).mode).toBe('snippet');
    expect(connectOptions({ printEnv: true }).mode).toBe('env');
    expect(() => connectOptions({ printSnippet: true, printEnv: true })).toThrow(/choose one/);
  });
});
