import { describe, expect, it } from 'vitest';
import { connectOptions } from '../../../src/connect/connect-options.js';
import { UsageError } from '../../../src/errors.js';

describe('connect --from-lambda options', () => {
  it('runs the query in the function, with the SQL, user, database and dial address given', () => {
    expect(connectOptions({ fromLambda: true, command: 'select 1', user: 'app_rw', db: 'orders', via: '127.0.0.1:15432' })).toEqual({
      mode: 'lambda',
      proxy: undefined,
      command: 'select 1',
      user: 'app_rw',
      database: 'orders',
      via: { host: '127.0.0.1', port: 15432 },
    });
  });

  it('refuses --proxy: the function is the stack\'s and connects through the stack\'s proxy', () => {
    expect(() => connectOptions({ fromLambda: true, proxy: 'other-proxy' })).toThrow(UsageError);
    expect(() => connectOptions({ fromLambda: true, proxy: 'other-proxy' })).toThrow('leave out --proxy');
  });

  it('refuses --print-snippet and --print-env, which print and stop', () => {
    expect(() => connectOptions({ fromLambda: true, printSnippet: true })).toThrow('leave out --print-snippet and --print-env');
    expect(() => connectOptions({ fromLambda: true, printEnv: true })).toThrow('leave out --print-snippet and --print-env');
  });
});
