import { GetFunctionConfigurationCommand, type FunctionConfiguration } from '@aws-sdk/client-lambda';
import { aws } from '../aws/errors.js';
import type { FunctionWaitContext } from './lambda-function.js';
import { poll, type PollVerdict } from './poll.js';

/**
 * One look at a function's last update: `Successful` (or no update ever) is done, `InProgress`
 * goes on, `Failed` stops with Lambda's reason.
 * https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html
 */
export function updateVerdict(name: string, config: FunctionConfiguration): PollVerdict<FunctionConfiguration> {
  const status = config.LastUpdateStatus ?? 'Successful';
  if (status === 'Successful') return { state: 'target', status, value: config };
  if (status === 'InProgress') return { state: 'pending', status, value: config };
  const reason = config.LastUpdateStatusReason;
  return {
    state: 'failed',
    status,
    explanation: reason ? `Lambda says: ${reason}` : 'Lambda reports the update failed and gives no reason.',
    failure: { resource: { kind: 'function', id: name }, status, reason: config.LastUpdateStatusReasonCode, description: reason },
  };
}

/** Until the function's last configuration update has finished; a few seconds between looks. */
export function waitForFunctionUpdate(ctx: FunctionWaitContext, name: string): Promise<FunctionConfiguration> {
  const what = `Lambda function ${name}`;
  return poll({
    ...ctx.timing.wait,
    what,
    signal: ctx.signal,
    onPending: (status, elapsedMs) => ctx.progress({ kind: 'waiting', what: `${what} to finish its update`, status, elapsedMs }),
    check: async () => {
      const lambda = await ctx.clients.lambda();
      const config = await aws(`reading Lambda function ${name}`, () => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name })));
      return updateVerdict(name, config);
    },
  });
}
