import type { AwsCallTiming } from '../config/timing.js';

/**
 * A call that got no answer from its endpoint: refused, not resolved, unreachable, reset or timed
 * out. That is about the endpoint, not the credentials or the resource, and is reported as such.
 */
export interface UnansweredCall {
  /** `https://rds.eu-west-1.amazonaws.com`, or the --endpoint-url; undefined when not known. */
  endpoint?: string;
  /** "connection refused", "no answer within 6s". */
  reason: string;
  timedOut: boolean;
  /** How many times the SDK sent it, when it says. */
  attempts?: number;
}

/** Node's error codes for a connection that failed, and what each means to a user. */
const NETWORK_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found (DNS)',
  EAI_AGAIN: 'host name could not be resolved (DNS)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
};

interface NetworkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  $metadata?: { attempts?: number };
}

/** Where a failed request was sent and the timeouts it had. */
interface SentTo {
  endpoint: string;
  timing: AwsCallTiming;
}

/** Noted by the client factory's request handler for each request that got no answer. */
const sentTo = new WeakMap<object, SentTo>();

export function noteEndpoint(err: unknown, endpoint: string, timing: AwsCallTiming): void {
  if (typeof err === 'object' && err !== null && !sentTo.has(err)) sentTo.set(err, { endpoint, timing });
}

const seconds = (ms: number) => `${ms / 1000}s`;

/** What the SDK's HTTP handler throws when the endpoint does not answer in time. */
function timeoutReason(e: NetworkErrorShape, timing: AwsCallTiming | undefined): string | undefined {
  if (e.name !== 'TimeoutError' && e.code !== 'ETIMEDOUT') return undefined;
  if (/establish a connection/i.test(e.message ?? '')) return timing ? `no connection within ${seconds(timing.connectMs)}` : 'no connection in time';
  return timing ? `no answer within ${seconds(timing.answerMs)}` : 'no answer in time';
}

/** The network failure behind an error (the SDK's, or one that wraps it), or undefined for any other error. */
export function unansweredCall(err: unknown): UnansweredCall | undefined {
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 8; e = (e as NetworkErrorShape).cause, depth++) {
    const shape = e as NetworkErrorShape;
    const sent = sentTo.get(e);
    const timeout = timeoutReason(shape, sent?.timing);
    const reason = timeout ?? NETWORK_FAILURES[shape.code ?? ''];
    if (reason === undefined) continue;
    return {
      endpoint: sent?.endpoint,
      reason,
      timedOut: timeout !== undefined,
      attempts: shape.$metadata?.attempts,
    };
  }
  return undefined;
}

/** "timed out: the AWS endpoint https://… did not answer (no answer within 6s, 6 attempts)". */
export function describeUnanswered(call: UnansweredCall): string {
  const where = call.endpoint ? `the AWS endpoint ${call.endpoint}` : 'the AWS endpoint';
  const how = [call.reason, ...(call.attempts && call.attempts > 1 ? [`${call.attempts} attempts`] : [])].join(', ');
  return call.timedOut ? `timed out: ${where} did not answer (${how})` : `cannot reach ${where} (${how})`;
}

/** What to check when an endpoint does not answer: the endpoint and the way to it, not the credentials. */
export function unansweredHint(call: UnansweredCall): string {
  const endpoint = call.endpoint ?? 'the endpoint';
  return (
    `Check that ${endpoint} is the endpoint you mean (--endpoint-url, AWS_ENDPOINT_URL, --region) and that it can be ` +
    'reached from here (network, VPN, firewall, HTTPS_PROXY). AWS never answered, so credentials and permissions were not checked yet.'
  );
}
