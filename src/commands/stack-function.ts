import { upConfig } from '../config/up-config.js';
import { CliError } from '../errors.js';
import { readClientPackage } from '../lambda/function-package.js';
import { clientSteps } from '../steps/client-steps.js';
import { planStack } from '../steps/plan.js';
import { clientFunctionStep } from '../steps/client-function.js';
import { runStack } from '../steps/runner.js';
import type { ReadContext } from '../steps/step.js';
import { renderRollback } from '../ui/failed-run.js';
import { stackProgress } from '../ui/stack-progress.js';
import { buildContext, type CommandContext } from './command-context.js';
import type { GrantOutcome } from './grant.js';
import { grantUpClients } from './up-clients.js';

/**
 * The stack's function `<stack>-client` is wired like any client: `grant --attach-vpc` puts it in
 * the proxy's subnets, lets its role connect and writes its PG* settings (up owns only its code
 * and configuration). A re-run of a function already wired writes nothing.
 */
export function grantStackFunction(command: CommandContext, ctx: ReadContext, beforeFirstWrite: () => Promise<void>): Promise<GrantOutcome[]> {
  return grantUpClients(command, ctx, { functions: [ctx.names.clientFunction], attachVpc: true, overwriteEnv: false }, beforeFirstWrite);
}

/**
 * Whether the stack has its function (one read: connect needs no more to invoke it). A function
 * under its name without the stack's tag stops here with ForeignResourceError.
 */
export async function hasStackFunction(ctx: ReadContext): Promise<boolean> {
  return (await clientFunctionStep().find(ctx)) !== undefined;
}

/**
 * `connect --from-lambda` on a stack without its function: deploys it as `up --with-lambda` does
 * (the role, the function from the package this CLI ships), then grants it. The caller holds the
 * stack's lease door: `beforeFirstWrite` takes it.
 */
export async function deployStackFunction(command: CommandContext, beforeFirstWrite: () => Promise<void>): Promise<GrantOutcome[]> {
  const abort = new AbortController();
  const ctx = buildContext(command, upConfig({}), abort.signal);
  const steps = clientSteps(await readClientPackage());
  const plan = await planStack(ctx, steps);
  await beforeFirstWrite();
  const run = await runStack(ctx, { steps, plan, abort, rollback: true, emit: stackProgress(command.out) });
  if (!run.ok) {
    const cause = run.failure?.error;
    if (run.rollback) renderRollback(run.rollback, command.out);
    throw cause instanceof CliError
      ? cause
      : new CliError(`Deploying Lambda function ${ctx.names.clientFunction} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  return grantStackFunction(command, ctx, beforeFirstWrite);
}
