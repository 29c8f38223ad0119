import type { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCallTiming } from '../config/timing.js';
import { InterruptedError } from '../errors.js';
import { noteEndpoint, unansweredCall } from './unanswered.js';

type Handle = NodeHttpHandler['handle'];
type SdkRequest = Parameters<Handle>[0];
type HandleOptions = NonNullable<Parameters<Handle>[1]>;

/** The part of an SDK client the factory adds middleware to. */
export interface MiddlewareTarget {
  middlewareStack: {
    add(middleware: unknown, options: { step: 'initialize'; name: string; priority?: 'high' | 'normal' | 'low' }): void;
    add(middleware: unknown, options: { step: 'deserialize'; name: string; priority?: 'high' | 'normal' | 'low' }): void;
  };
}

/** The request handler the factory gives every client: the SDK's, bounded, and able to abandon calls. */
export type AbandonableHandler = Pick<NodeHttpHandler, 'handle' | 'metadata' | 'destroy' | 'updateHttpClientConfig' | 'httpHandlerConfigs'>;

const ABANDONED_MESSAGE = 'Interrupted: the AWS call in flight was abandoned.';

/** Settles as the work does, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A signal that aborts when either does; `release` stops listening once the request is over. */
function either(a: AbortSignal | undefined, b: AbortSignal | undefined): { signal?: AbortSignal; release: () => void } {
  if (!a || !b) return { signal: a ?? b, release: () => undefined };
  const both = new AbortController();
  const onA = () => both.abort(a.reason);
  const onB = () => both.abort(b.reason);
  a.addEventListener('abort', onA, { once: true });
  b.addEventListener('abort', onB, { once: true });
  if (a.aborted) onA();
  else if (b.aborted) onB();
  return {
    signal: both.signal,
    release: () => {
      a.removeEventListener('abort', onA);
      b.removeEventListener('abort', onB);
    },
  };
}

/** `https://rds.eu-west-1.amazonaws.com`, `http://127.0.0.1:4566`. */
function endpointOf(request: SdkRequest): string {
  const port = request.port === undefined ? '' : `:${request.port}`;
  return `${request.protocol}//${request.hostname}${port}`;
}

/**
 * The AWS calls under way on a set of clients. `abandonAll()` aborts every call already sent, the
 * attempt on the wire as well as the retries the SDK would make; a call started afterwards (a
 * rollback's) runs normally. An abandoned call rejects at once with an InterruptedError.
 *
 * Each call gets its own abort signal in an outermost middleware; an innermost one hands it to
 * the request of each attempt, which the request handler then aborts.
 */
export class CallsInFlight {
  private readonly calls = new Set<AbortController>();
  private readonly callOfContext = new WeakMap<object, AbortSignal>();
  private readonly callOfRequest = new WeakMap<object, AbortSignal>();

  /**
   * Aborts every call in flight now, or those of them still in flight after `graceMs`; returns
   * how many there were. Calls started meanwhile are not touched.
   */
  abandonAll(graceMs = 0): number {
    const calls = [...this.calls];
    const abandon = () => {
      for (const call of calls) if (this.calls.has(call)) call.abort(new InterruptedError(ABANDONED_MESSAGE));
    };
    if (graceMs > 0) setTimeout(abandon, graceMs).unref();
    else abandon();
    return calls.length;
  }

  track(client: MiddlewareTarget): void {
    const perCall =
      (next: (args: unknown) => Promise<unknown>, context: object) =>
      async (args: unknown): Promise<unknown> => {
        const call = new AbortController();
        this.calls.add(call);
        this.callOfContext.set(context, call.signal);
        try {
          return await untilAborted(next(args), call.signal);
        } finally {
          this.calls.delete(call);
        }
      };
    const perAttempt =
      (next: (args: { request?: unknown }) => Promise<unknown>, context: object) =>
      (args: { request?: unknown }): Promise<unknown> => {
        const call = this.callOfContext.get(context);
        if (call && typeof args.request === 'object' && args.request !== null) this.callOfRequest.set(args.request, call);
        return next(args);
      };
    client.middlewareStack.add(perCall, { step: 'initialize', name: 'rdsproxySetupCallInFlight', priority: 'high' });
    client.middlewareStack.add(perAttempt, { step: 'deserialize', name: 'rdsproxySetupCallAttempt', priority: 'low' });
  }

  /**
   * Wraps the SDK's handler: an attempt of an abandoned call is aborted (or not sent), and a
   * request that got no answer is noted with its endpoint, so the error can name it.
   */
  handler(inner: NodeHttpHandler, timing: AwsCallTiming): AbandonableHandler {
    const handle = async (request: SdkRequest, options: HandleOptions = {}) => {
      const call = this.callOfRequest.get(request);
      if (call?.aborted) throw call.reason;
      const { signal, release } = either(options.abortSignal as AbortSignal | undefined, call);
      try {
        return await inner.handle(request, { ...options, abortSignal: signal });
      } catch (err) {
        if (call?.aborted) throw call.reason;
        if (unansweredCall(err)) noteEndpoint(err, endpointOf(request), timing);
        throw err;
      } finally {
        release();
      }
    };
    return {
      metadata: inner.metadata,
      handle,
      destroy: () => inner.destroy(),
      updateHttpClientConfig: (key, value) => inner.updateHttpClientConfig(key, value),
      httpHandlerConfigs: () => inner.httpHandlerConfigs(),
    };
  }
}
