import { aws, isNotFound } from '../aws/errors.js';
import { CliError } from '../errors.js';
import { SkipCheck } from './check.js';

/** One read of the discovery pass: the value, or the error that stopped it (kept for the checks). */
export type Read<T> = { ok: true; value: T } | { ok: false; error: string; code?: string };

export const got = <T>(value: T): Read<T> => ({ ok: true, value });
export const missing = <T>(error: string, code?: string): Read<T> => ({ ok: false, error, code });

/** Runs one AWS read; a failure becomes a Read error naming what was being read and the AWS error. */
export async function read<T>(doing: string, call: () => Promise<T>): Promise<Read<T>> {
  try {
    return got(await aws(doing, call));
  } catch (err) {
    const code = err instanceof CliError && err.source === 'aws' ? err.code : undefined;
    const message = err instanceof Error ? err.message : String(err);
    return missing(code ? `${message} (${code})` : message, code);
  }
}

/** Whether the read failed because AWS says the resource does not exist (any service's name for that). */
export function isNotFoundRead<T>(r: Read<T>): r is Extract<Read<T>, { ok: false }> {
  return !r.ok && r.code !== undefined && isNotFound({ name: r.code });
}

/** The value a check cannot go without; when the read failed, the check is skipped with its error. */
export function need<T>(r: Read<T>): T {
  if (!r.ok) throw new SkipCheck(r.error);
  return r.value;
}
