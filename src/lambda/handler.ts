import { classifyConnectFailure, errorDetails, FAILURE_CHECKS } from '../config/connection-failure.js';
import { MAX_ROWS, type ClientError, type ClientEvent, type ClientResult, type ClientTarget } from './client-event.js';
import { clientRequest, InvalidClientEvent, type ClientRequest } from './client-request.js';
import { runSession, SessionStepFailure } from './session.js';

/** The part of Lambda's context object the handler uses. */
export interface LambdaContext {
  getRemainingTimeInMillis(): number;
}

/** Time kept back from the invocation's deadline to answer with a typed timeout rather than be cut off by Lambda. */
const DEADLINE_MARGIN_MS = 1_000;

function describeError(phase: 'sign' | 'connect' | 'query', error: unknown): ClientError {
  if (phase === 'connect') {
    const failure = classifyConnectFailure(error);
    return { ...failure, checks: FAILURE_CHECKS[failure.kind] };
  }
  return { kind: phase === 'sign' ? 'SignFailed' : 'QueryFailed', ...errorDetails(error), checks: [] };
}

/** The session's waits, shortened to end before the invocation's own deadline. */
function withinDeadline(request: ClientRequest, context: LambdaContext | undefined): { request: ClientRequest; queryTimeoutMs: number } {
  const left = context ? context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS : Number.POSITIVE_INFINITY;
  const budget = Math.max(1, Math.floor(left));
  return {
    request: { ...request, connectTimeoutMs: Math.min(request.connectTimeoutMs, budget) },
    queryTimeoutMs: Number.isFinite(left) ? budget : 0,
  };
}

/**
 * The stack's client function (`index.handler`): signs an IAM token for the proxy, opens a
 * verified TLS session, runs one query and returns its rows and the time each step took.
 * Failures come back as a typed answer (kind, doctor checks), not as a thrown error.
 */
export async function handler(event: ClientEvent | null | undefined, context?: LambdaContext): Promise<ClientResult> {
  let target: ClientTarget | undefined;
  try {
    const { request, queryTimeoutMs } = withinDeadline(clientRequest(event, process.env), context);
    target = request.target;
    const outcome = await runSession(request, queryTimeoutMs);
    return {
      ok: true,
      target,
      columns: outcome.columns,
      rows: outcome.rows.slice(0, MAX_ROWS),
      truncated: outcome.rows.length > MAX_ROWS,
      timings: outcome.timings,
    };
  } catch (err) {
    if (err instanceof InvalidClientEvent) {
      return { ok: false, phase: 'event', error: { kind: 'InvalidEvent', message: err.message, checks: [] }, timings: {} };
    }
    if (err instanceof SessionStepFailure) {
      return { ok: false, phase: err.phase, target, error: describeError(err.phase, err.error), timings: err.timings };
    }
    throw err;
  }
}
