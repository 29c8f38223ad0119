import { aws, isNotFound } from '../aws/errors.js';
import { CliError } from '../errors.js';
import type { Read } from './snapshot.js';

type Failed = Extract<Read<unknown>, { ok: false }>;
const failed = (error: string, code?: string): Failed => ({ ok: false, error, code });

export const got = <T>(value: T): Read<T> => ({ ok: true, value });
export const missing = <T>(error: string, code?: string): Read<T> => failed(error, code);
/** A resource that does not exist (AWS said so, or its list came back without it). */
export const absent = <T>(error: string, code?: string): Read<T> => ({ ...failed(error, code), notFound: true });

/** Runs one AWS read; a failure becomes a Read error naming what was being read and the AWS error. */
export async function read<T>(doing: string, call: () => Promise<T>): Promise<Read<T>> {
  try {
    return got(await aws(doing, call));
  } catch (err) {
    const code = err instanceof CliError && err.source === 'aws' ? err.code : undefined;
    const message = err instanceof Error ? err.message : String(err);
    const error = code ? `${message} (${code})` : message;
    return isNotFound(err) ? absent(error, code) : missing(error, code);
  }
}

/** Whether the read failed because the resource does not exist. */
export function isNotFoundRead<T>(r: Read<T>): r is Extract<Read<T>, { ok: false }> {
  return !r.ok && r.notFound === true;
}
