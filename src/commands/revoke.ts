import { clientRequest, type RawClientOptions } from '../config/grant-options.js';
import type { RawGlobalOptions } from '../config/global-options.js';
import { describeClient } from '../grants/records.js';
import { clientNamed, revokeClient } from '../grants/revoke-client.js';
import { renderRevoke, revokeJson } from '../ui/client-report.js';
import { renderProgress } from '../ui/wait-progress.js';
import type { ReadContext } from '../steps/step.js';
import { commandContext, readContext } from './command-context.js';
import { stackTarget } from './stack-clients.js';
import { writingStack } from './stack-write.js';

/** `revoke --lambda <fn>` or `revoke --role <role>`: undo exactly what grant recorded; a second run has nothing to undo. */
export async function run(options: Record<string, unknown>): Promise<void> {
  const request = clientRequest(options as RawClientOptions, 'revoke');
  const command = await commandContext(options as RawGlobalOptions);
  const { config, out } = command;
  const ctx = readContext(command, new AbortController().signal);
  try {
    const client = request.kind === 'lambda' ? clientNamed('lambda', request.function) : clientNamed('role', request.role);
    const who = describeClient(client);
    const reading = out.start(`reading stack ${config.stack} in ${config.region}`);
    const target = await stackTarget(ctx);
    reading.succeed(`read stack ${config.stack}`);
    const activity = out.start(`revoking ${who}`);
    const engine = (beforeFirstWrite: () => Promise<void>) => ({ ...ctx, beforeFirstWrite, progress: (p: Parameters<ReadContext['progress']>[0]) => activity.update(`${who}: ${renderProgress(p)}`) });
    const result = await writingStack(command, 'revoke', options.takeOverLease === true, (beforeFirstWrite) =>
      revokeClient(engine(beforeFirstWrite), target, client),
    ).catch((err: unknown) => {
      activity.fail(`${who} not revoked: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    });
    activity.succeed(result.undone.length === 0 ? `nothing to undo for ${who}` : `${who} revoked`);
    out.result(
      () => renderRevoke(config.stack, result),
      () => revokeJson(config.stack, result),
    );
  } finally {
    out.close();
  }
}
