import { GetFunctionCommand, type GetFunctionCommandOutput, type LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsClients } from '../aws/clients.js';
import { aws, unlessNotFound } from '../aws/errors.js';
import { poll, type PollVerdict } from './poll.js';
import type { Progress } from './progress.js';
import type { WaitTiming } from '../config/timing.js';

/** A function's configuration, code location and tags, or undefined when there is none. */
export function readFunction(lambda: LambdaClient, name: string): Promise<GetFunctionCommandOutput | undefined> {
  return unlessNotFound(() => aws(`reading Lambda function ${name}`, () => lambda.send(new GetFunctionCommand({ FunctionName: name }))));
}

export interface FunctionWaitContext {
  clients: Pick<AwsClients, 'lambda'>;
  signal: AbortSignal;
  timing: { wait: WaitTiming };
  progress(progress: Progress): void;
}

/**
 * Until the function can be invoked and changed again: State Active (Pending while Lambda sets it
 * up) and LastUpdateStatus not InProgress. Failed, in either, stops with Lambda's reason.
 * https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html
 */
export function waitForFunctionReady(ctx: FunctionWaitContext, name: string): Promise<GetFunctionCommandOutput> {
  const what = `Lambda function ${name}`;
  return poll({
    ...ctx.timing.wait,
    what,
    signal: ctx.signal,
    onPending: (status, elapsedMs) => ctx.progress({ kind: 'waiting', what, status, elapsedMs }),
    check: async (): Promise<PollVerdict<GetFunctionCommandOutput>> => {
      const found = await readFunction(await ctx.clients.lambda(), name);
      const failure = { resource: { kind: 'function' as const, id: name } };
      if (!found) return { state: 'failed', status: 'gone', explanation: 'it no longer exists.', failure: { ...failure, status: 'gone' } };
      const { State: state = 'Active', StateReason, LastUpdateStatus: update = 'Successful', LastUpdateStatusReason } = found.Configuration ?? {};
      if (state === 'Failed' || update === 'Failed') {
        const status = state === 'Failed' ? 'Failed' : 'update Failed';
        const reason = (state === 'Failed' ? StateReason : LastUpdateStatusReason) ?? 'Lambda gave no reason';
        return { state: 'failed', status, explanation: reason, failure: { ...failure, status, description: reason } };
      }
      if (state === 'Pending' || update === 'InProgress') {
        return { state: 'pending', status: state === 'Pending' ? 'Pending' : 'updating', value: found };
      }
      return { state: 'target', status: state, value: found };
    },
  });
}
