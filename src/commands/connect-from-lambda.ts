import type { ConnectOptions } from '../connect/connect-options.js';
import type { ConnectTarget } from '../connect/resolve-target.js';
import { resultTable } from '../connect/result-table.js';
import type { ClientEvent, ClientSuccess } from '../lambda/client-event.js';
import { invokeClientFunction } from '../lambda/invoke-client.js';
import { stackNames } from '../config/names.js';
import { readContext, type CommandContext } from './command-context.js';
import { deployStackFunction, hasStackFunction } from './stack-function.js';
import { writingStack } from './stack-write.js';

/** The three timings measured inside the function, in the order they happen. */
export function renderTimings(functionName: string, timings: ClientSuccess['timings']): string {
  return `Measured inside Lambda function ${functionName}: sign ${timings.signMs} ms, connect ${timings.connectMs} ms, query ${timings.queryMs} ms`;
}

/**
 * The stack's function, made first when the stack has none (that writes, so it goes through the
 * stack's lease door like grant); a function under its name that is not the stack's is refused.
 */
async function ensureStackFunction(command: CommandContext, takeOver: boolean): Promise<boolean> {
  const { out, config } = command;
  const name = stackNames(config.stack, config.region).clientFunction;
  const reading = out.start(`reading Lambda function ${name}`);
  const exists = await hasStackFunction(readContext(command, new AbortController().signal));
  if (exists) {
    reading.succeed(`Lambda function ${name} exists`);
    return false;
  }
  reading.succeed(`Stack ${config.stack} has no function ${name}: creating it and granting it access, as \`up --with-lambda\` does`);
  await writingStack(command, 'connect', takeOver, (beforeFirstWrite) => deployStackFunction(command, beforeFirstWrite));
  return true;
}

/**
 * `connect --from-lambda`: the stack's function `<stack>-client` signs the token, opens the TLS
 * session through the proxy from inside the VPC and runs the query; its rows and the three
 * timings are printed as `connect` prints its own.
 */
export async function connectFromLambda(
  command: CommandContext,
  options: ConnectOptions & { takeOverLease?: boolean },
  found: ConnectTarget,
  description: Record<string, unknown>,
): Promise<void> {
  const { out, clients } = command;
  const created = await ensureStackFunction(command, options.takeOverLease === true);
  const functionName = stackNames(command.config.stack, command.config.region).clientFunction;
  const event: ClientEvent = {
    ...(options.command ? { sql: options.command } : {}),
    ...(options.user ? { user: options.user } : {}),
    ...(options.database ? { database: options.database } : {}),
    ...(options.via ? { dial: { address: options.via.host, port: options.via.port } } : {}),
  };
  const route = options.via ? `${found.host} via ${options.via.host}:${options.via.port}` : found.host;
  const activity = out.start(`Invoking Lambda function ${functionName}: TLS and an IAM token to ${route} from inside the VPC`);
  let answer: ClientSuccess;
  try {
    answer = await invokeClientFunction(clients, { functionName, proxyName: found.proxyName, event });
  } catch (err) {
    activity.fail(`Lambda function ${functionName} did not run the query`);
    throw err;
  }
  activity.succeed(`Session through ${found.proxyName} as ${answer.target.user}, from Lambda function ${functionName}`);
  const via = options.via ? `${options.via.host}:${options.via.port}` : undefined;
  out.result(
    () => [resultTable(answer), renderTimings(functionName, answer.timings)].join('\n'),
    () => ({
      ...description,
      user: answer.target.user,
      database: answer.target.database,
      ...(via ? { via } : {}),
      function: functionName,
      functionCreated: created,
      columns: answer.columns,
      rows: answer.rows,
      truncated: answer.truncated,
      timings: answer.timings,
    }),
  );
}
