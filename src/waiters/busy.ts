import { awsErrorName } from '../aws/errors.js';
import { formatElapsed, type PollTiming } from '../config/timing.js';
import { CliError } from '../errors.js';
import type { Progress } from './progress.js';
import { retryTransient } from './retry.js';

export interface BusyRetryOptions {
  /** "deleting Aurora cluster demo-cluster": what the call does, in progress lines and errors. */
  what: string;
  /** True for AWS's answer "busy with another change, try again later". */
  isBusy: (err: unknown) => boolean;
  /** Shorter than a wait: a refusal that outlasts it is not one waiting cures. */
  timing: PollTiming;
  signal: AbortSignal;
  progress: (progress: Progress) => void;
}

/** AWS's own words, without the "doing what:" the error was wrapped with. */
function awsMessage(err: unknown, what: string): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.startsWith(`${what}: `) ? message.slice(what.length + 2) : message;
}

/**
 * Repeats a call AWS refuses as busy, saying each time what AWS said, for at most `timing`; after
 * that the refusal is an error that says how long it was retried. A Ctrl-C ends the retry at once.
 */
export async function retryWhileBusy<T>(call: () => Promise<T>, options: BusyRetryOptions): Promise<T> {
  const started = Date.now();
  try {
    return await retryTransient(call, {
      ...options.timing,
      isTransient: options.isBusy,
      signal: options.signal,
      onRetry: (err) => options.progress({ kind: 'retrying', what: options.what, because: `AWS says "${awsMessage(err, options.what)}"` }),
    });
  } catch (err) {
    if (!options.isBusy(err)) throw err;
    throw new CliError(
      `${options.what}: AWS still refused it after ${formatElapsed(Date.now() - started)} of retrying: ${awsMessage(err, options.what)}`,
      { source: 'aws', code: awsErrorName(err), cause: err, hint: 'Run the same command again once the resource is no longer busy.' },
    );
  }
}
