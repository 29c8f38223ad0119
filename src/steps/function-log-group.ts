import { DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { aws, isNotFound } from '../aws/errors.js';
import { functionLogGroup } from '../config/client-function.js';
import type { ReadContext } from './step.js';

/**
 * Deletes the log group Lambda made for the stack's function; gone already is done. Its own module,
 * loaded only when the function is deleted, so status and up never load the CloudWatch Logs client.
 */
export async function deleteFunctionLogGroup(ctx: ReadContext, functionName: string): Promise<void> {
  const logs = await ctx.clients.logs();
  const group = functionLogGroup(functionName);
  try {
    await aws(`deleting log group ${group}`, () => logs.send(new DeleteLogGroupCommand({ logGroupName: group })));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
