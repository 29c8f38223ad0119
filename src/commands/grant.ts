import { clientRequest, type ClientRequest, type RawClientOptions } from '../config/grant-options.js';
import type { RawGlobalOptions } from '../config/global-options.js';
import { INTERRUPT_GRACE_MS } from '../config/timing.js';
import { ExitCode } from '../errors.js';
import type { CheckResult } from '../doctor/check.js';
import type { GrantResult } from '../grants/grant-result.js';
import { grantLambda } from '../grants/grant-lambda.js';
import { grantRole } from '../grants/grant-role.js';
import { describeClient } from '../grants/records.js';
import type { GrantTarget } from '../grants/target.js';
import type { ReadContext } from '../steps/step.js';
import { grantJson, renderGrant } from '../ui/client-report.js';
import { handleInterrupts } from '../ui/interrupt.js';
import { renderProgress } from '../ui/wait-progress.js';
import { clientChecks } from './client-checks.js';
import { commandContext, readContext, type CommandContext } from './command-context.js';
import { grantTarget } from './stack-clients.js';
import { writingStack } from './stack-write.js';

export interface GrantOutcome {
  result: GrantResult;
  checks: CheckResult[];
}

/** Wires one client (its progress on stderr), then runs the doctor's client checks on it. */
export async function grantClient(
  command: CommandContext,
  ctx: ReadContext,
  target: GrantTarget,
  request: ClientRequest,
  beforeFirstWrite: () => Promise<void>,
): Promise<GrantOutcome> {
  const { out } = command;
  const who = describeClient(request.kind === 'lambda' ? { kind: 'lambda', name: request.function } : { kind: 'role', name: request.role });
  const activity = out.start(`granting ${who} access to RDS proxy ${target.proxy.name}`);
  const engine = { ...ctx, beforeFirstWrite, progress: (p: Parameters<ReadContext['progress']>[0]) => activity.update(`${who}: ${renderProgress(p)}`) };
  let result: GrantResult;
  try {
    result = await (request.kind === 'lambda'
      ? grantLambda(engine, target, request)
      : grantRole(engine, target, { role: request.role, user: request.user, clientSecurityGroupId: request.clientSecurityGroupId }));
  } catch (err) {
    activity.fail(`${who} not granted: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }
  activity.succeed(result.changes.length === 0 ? `${who} was wired already` : `${who} granted (${result.changes.length} changes)`);
  const checking = out.start(`checking the path from ${who} to the proxy`);
  // A function is checked with the user it is configured with (a kept PGUSER shows up), a role with the one granted.
  const checks = await clientChecks(command, target.proxy.name, {
    ...(result.client.kind === 'lambda' ? { lambda: result.client.name } : { user: result.user }),
    ...(request.kind === 'role' && request.clientSecurityGroupId ? { clientSecurityGroupId: request.clientSecurityGroupId } : {}),
  });
  const failed = checks.filter((c) => c.status === 'fail').length;
  if (failed > 0) checking.fail(`${failed} client check(s) failed`);
  else checking.succeed('client checks done');
  return { result, checks };
}

/** `grant --lambda <fn>` or `grant --role <role>`: wire a client to the stack's proxy; exit 1 when a client check fails. */
export async function run(options: Record<string, unknown>): Promise<void> {
  const request = clientRequest(options as RawClientOptions, 'grant');
  const command = await commandContext(options as RawGlobalOptions);
  const { config, out } = command;
  const abort = new AbortController();
  const ctx = readContext(command, abort.signal);
  const stopHandling = handleInterrupts(out, {
    onFirst: () => {
      abort.abort('interrupt');
      return 'undoing what this grant changed';
    },
    abandonCalls: () => command.clients.abortCallsInFlight(INTERRUPT_GRACE_MS),
  });
  try {
    const reading = out.start(`reading stack ${config.stack} in ${config.region}`);
    const target = await grantTarget(ctx);
    reading.succeed(`read stack ${config.stack}: RDS proxy ${target.proxy.name}`);
    const { result, checks } = await writingStack(command, 'grant', options.takeOverLease === true, (beforeFirstWrite) =>
      grantClient(command, ctx, target, request, beforeFirstWrite),
    );
    out.result(
      () => renderGrant(config.stack, result, checks),
      () => grantJson(config.stack, result, checks),
    );
    if (checks.some((c) => c.status === 'fail')) process.exitCode = ExitCode.failure;
  } finally {
    stopHandling();
    out.close();
  }
}
