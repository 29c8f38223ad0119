import { InvokeCommand } from '@aws-sdk/client-lambda';
import type { AwsClients } from '../aws/clients.js';
import { aws } from '../aws/errors.js';
import { functionLogGroup } from '../config/client-function.js';
import { FAILURE_CHECKS, refusalReason, type ConnectFailureKind } from '../config/connection-failure.js';
import { CliError } from '../errors.js';
import type { ClientEvent, ClientFailure, ClientResult, ClientSuccess } from './client-event.js';

export interface ClientInvocation {
  /** The function to invoke: `<stack>-client`, or any function that runs this package. */
  functionName: string;
  /** For the doctor command a failure points at. */
  proxyName: string;
  event: ClientEvent;
}

/** Lambda's own timeout, in the wording of its runtimes old and new ("… Task timed out after 3.00 seconds"). */
const TIMED_OUT = /Task timed out after ([\d.]+) seconds/;

function doctorCommand(invocation: ClientInvocation, user: string | undefined): string {
  return (
    `rdsproxy-setup doctor --proxy ${invocation.proxyName} --lambda ${invocation.functionName}` +
    (user ? ` --user ${user}` : '')
  );
}

/** connect's error codes for the same failures, so scripts see one code whichever side connected. */
function errorCode(kind: ClientFailure['error']['kind']): string {
  if (refusalReason(kind as ConnectFailureKind)) return 'ConnectRefused';
  if (kind === 'SignFailed') return 'TokenFailed';
  if (kind === 'InvalidEvent') return 'FunctionMisconfigured';
  return kind;
}

/** What the function answered when the path failed, with the doctor checks that explain it. */
export function explainClientFailure(answer: ClientFailure, invocation: ClientInvocation): CliError {
  const { error, target } = answer;
  const fn = `Lambda function ${invocation.functionName}`;
  const where = target ? `${target.host}:${target.port}` : 'the proxy';
  const doctor = `\`${doctorCommand(invocation, target?.user)}\``;
  const details = { function: invocation.functionName, phase: answer.phase, kind: error.kind, timings: answer.timings };
  if (answer.phase === 'event') {
    return new CliError(`${fn} does not know where to connect: ${error.message}`, {
      code: errorCode(error.kind),
      details,
      hint: `Its environment needs PGHOST, PGUSER and PGDATABASE, as \`rdsproxy-setup grant --lambda ${invocation.functionName}\` sets them.`,
    });
  }
  if (answer.phase === 'query') {
    return new CliError(`The query failed in ${fn}: ${error.message}${error.code ? ` (SQLSTATE ${error.code})` : ''}.`, {
      code: 'QueryFailed',
      details,
      hint: 'The session through the proxy worked from inside the VPC; fix the SQL given with --command.',
    });
  }
  if (answer.phase === 'sign') {
    return new CliError(`${fn} could not sign an IAM auth token: ${error.message}`, { code: 'TokenFailed', details, hint: `Run ${doctor}.` });
  }
  const checks = FAILURE_CHECKS[error.kind as ConnectFailureKind] ?? [];
  const why = refusalReason(error.kind as ConnectFailureKind);
  const explained = checks.length > 0 ? `Explained by doctor check${checks.length > 1 ? 's' : ''} ${checks.join(', ')}: run ${doctor}.` : `Run ${doctor}.`;
  return new CliError(
    `${fn} could not open a session with ${where} (${error.kind}): ${error.message}${error.code && !error.message.includes(error.code) ? ` (${error.code})` : ''}`,
    { code: errorCode(error.kind), details, hint: why ? `This usually means ${why}. ${explained}` : explained },
  );
}

function parsePayload(payload: Uint8Array | undefined): unknown {
  const text = payload ? Buffer.from(payload).toString('utf8') : '';
  try {
    return JSON.parse(text || 'null');
  } catch {
    return text;
  }
}

function isClientResult(value: unknown): value is ClientResult {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

/**
 * Invokes the client function and returns its rows and timings, or throws what went wrong: the
 * path (typed by the function, with the doctor checks), the function itself (an error it threw,
 * its own timeout), or the invocation (AWS's error, wrapped).
 */
export async function invokeClientFunction(clients: AwsClients, invocation: ClientInvocation): Promise<ClientSuccess> {
  const lambda = await clients.lambdaInvoke();
  const fn = `Lambda function ${invocation.functionName}`;
  const out = await aws(`invoking ${fn}`, () =>
    lambda.send(new InvokeCommand({ FunctionName: invocation.functionName, Payload: Buffer.from(JSON.stringify(invocation.event)) })),
  );
  const payload = parsePayload(out.Payload);
  if (out.FunctionError) {
    const { errorType, errorMessage } = (typeof payload === 'object' && payload ? payload : {}) as { errorType?: string; errorMessage?: string };
    const timedOut = TIMED_OUT.exec(errorMessage ?? '');
    if (timedOut) {
      throw new CliError(`${fn} timed out after ${Number(timedOut[1])} s, its own timeout, before it answered.`, {
        code: 'FunctionTimedOut',
        hint:
          'The function gives up on the proxy by itself well before that, so it did not get to run in time: the first ' +
          'invocation of a function in a VPC starts slowest. Run it again; if it keeps timing out, run ' +
          `\`${doctorCommand(invocation, invocation.event.user)}\`.`,
      });
    }
    throw new CliError(`${fn} failed: ${errorType ?? out.FunctionError}: ${errorMessage ?? JSON.stringify(payload)}`, {
      code: 'FunctionFailed',
      hint: `Its log is in the CloudWatch Logs group ${functionLogGroup(invocation.functionName)}.`,
    });
  }
  if (!isClientResult(payload)) {
    throw new CliError(`${fn} answered something that is not the client function's result: ${JSON.stringify(payload).slice(0, 200)}`, {
      code: 'FunctionAnswerUnknown',
      hint: `Is ${invocation.functionName} the function this CLI deploys? \`rdsproxy-setup up --with-lambda\` deploys it.`,
    });
  }
  if (!payload.ok) throw explainClientFailure(payload, invocation);
  return payload;
}
