import type { UpClients } from '../config/grant-options.js';
import { CliError } from '../errors.js';
import type { ReadContext } from '../steps/step.js';
import type { CommandContext } from './command-context.js';
import type { GrantOutcome } from './grant.js';

/**
 * `up --lambda`: every function must exist before up's first write (the engine is loaded only
 * when functions are given).
 */
export async function checkUpClients(ctx: ReadContext, clients: UpClients): Promise<void> {
  if (clients.functions.length === 0) return;
  const { readFunction } = await import('../grants/lambda-function.js');
  const found = await Promise.all(clients.functions.map(async (name) => ({ name, fn: await readFunction(ctx, name.slice(name.lastIndexOf(':') + 1)) })));
  const missing = found.filter((f) => f.fn === undefined).map((f) => f.name);
  if (missing.length > 0) {
    throw new CliError(`Lambda function ${missing.join(', ')} (--lambda) does not exist in ${ctx.config.region}.`, {
      hint: 'Nothing was changed. Check the names (or ARNs) and --region.',
      source: 'user',
      code: 'GrantRefused',
    });
  }
}

/** After up: grant each function, one after the other; the stack stays whatever a grant does. */
export async function grantUpClients(
  command: CommandContext,
  ctx: ReadContext,
  clients: UpClients,
  beforeFirstWrite: () => Promise<void>,
): Promise<GrantOutcome[]> {
  if (clients.functions.length === 0) return [];
  const [{ grantClient }, { grantTarget }] = await Promise.all([import('./grant.js'), import('./stack-clients.js')]);
  const target = await grantTarget(ctx);
  const outcomes: GrantOutcome[] = [];
  for (const fn of clients.functions) {
    try {
      outcomes.push(
        await grantClient(command, ctx, target, { kind: 'lambda', function: fn, attachVpc: clients.attachVpc, overwriteEnv: clients.overwriteEnv }, beforeFirstWrite),
      );
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      const { code, source, exitCode, details } = err;
      throw new CliError(`Stack ${ctx.config.stack} is ready, but granting ${fn} failed: ${err.message}`, {
        hint: [err.hint, `Run \`rdsproxy-setup grant --lambda ${fn} --name ${ctx.config.stack}\` once that is fixed.`].filter(Boolean).join(' '),
        code,
        source,
        exitCode,
        details,
        cause: err,
      });
    }
  }
  return outcomes;
}
