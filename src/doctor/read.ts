import { awsErrorName, deniedAction, isMissingPermission, isNotFound, wrapAwsError } from '../aws/errors.js';
import { describeUnanswered, unansweredCall, unansweredHint } from '../aws/unanswered.js';
import type { Denial, Read } from './snapshot.js';

/**
 * What a read whose endpoint never answered says: account.identity reports the endpoint once,
 * as the root cause; every check that needed the read points there.
 */
export const UNANSWERED_READ = 'AWS did not answer (see account.identity)';

type Failed = Extract<Read<unknown>, { ok: false }>;
const failed = (error: string, code?: string, denied?: Denial): Failed => ({ ok: false, error, code, ...(denied ? { denied } : {}) });

export const got = <T>(value: T): Read<T> => ({ ok: true, value });
/** A read that failed; `denied` when a permission was lacking. */
export const missing = <T>(error: string, code?: string, denied?: Denial): Read<T> => failed(error, code, denied);
/** A resource that does not exist (AWS said so, or its list came back without it). */
export const absent = <T>(error: string, code?: string): Read<T> => ({ ...failed(error, code), notFound: true });

/** A call AWS refused, with the permission it lacked. */
class DeniedCall extends Error {
  constructor(
    readonly denial: Denial,
    readonly refusal: unknown,
  ) {
    super(`AccessDenied on ${denial.action} for ${denial.resource}`);
  }
}

/**
 * One AWS call of a read, named by the IAM action it needs and the resource it is about (an ARN,
 * or the pattern of the resources it may be about): a refusal then says which permission to add.
 */
export async function requiring<T>(action: string, resource: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isMissingPermission(err)) throw new DeniedCall({ action, resource }, err);
    throw err;
  }
}

/**
 * Runs one AWS read; a failure becomes a Read error naming what was being read and the AWS
 * error, or, for a refusal, the action denied and its resource.
 */
export async function read<T>(doing: string, call: () => Promise<T>): Promise<Read<T>> {
  try {
    return got(await call());
  } catch (err) {
    if (err instanceof DeniedCall) return missing(err.message, awsErrorName(err.refusal), err.denial);
    const unanswered = unansweredCall(err);
    if (unanswered) {
      return {
        ok: false,
        error: UNANSWERED_READ,
        code: unanswered.timedOut ? 'EndpointTimeout' : 'EndpointUnreachable',
        unanswered: { endpoint: unanswered.endpoint, description: describeUnanswered(unanswered), fix: unansweredHint(unanswered) },
      };
    }
    const code = awsErrorName(err);
    const action = deniedAction(err);
    if (action) return missing(`AccessDenied on ${action} (${doing})`, code, { action });
    const message = wrapAwsError(doing, err).message;
    const error = code ? `${message} (${code})` : message;
    return isNotFound(err) ? absent(error, code) : missing(error, code);
  }
}

/** Whether the read failed because the resource does not exist. */
export function isNotFoundRead<T>(r: Read<T>): r is Extract<Read<T>, { ok: false }> {
  return !r.ok && r.notFound === true;
}
