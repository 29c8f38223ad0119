import type { RawGlobalOptions } from '../config/global-options.js';
import { stackNames } from '../config/names.js';
import { stepTiming } from '../config/timing.js';
import { userAddOptions, userRemoveOptions, type RawUserOptions } from '../config/user-options.js';
import { dataApiLines, renderAddedUser, renderRemovedUser, renderUserList } from '../ui/user-report.js';
import { addUser } from '../users/add-user.js';
import { listUsers } from '../users/list-users.js';
import { removeUser } from '../users/remove-user.js';
import type { UserContext } from '../users/user-context.js';
import { commandContext, type CommandContext } from './command-context.js';
import { writingStack } from './stack-write.js';

function userContext(command: CommandContext): UserContext {
  const { config, clients } = command;
  return {
    config,
    names: stackNames(config.stack, config.region),
    clients,
    signal: new AbortController().signal,
    timing: stepTiming(),
    progress: () => undefined,
  };
}

/**
 * The one door of the writing user commands (add, remove): they change the stack's database,
 * proxy and role, so they hold the stack's lease (one writing run per stack) from their first read.
 */
function writing<T>(command: CommandContext, options: Record<string, unknown>, work: () => Promise<T>): Promise<T> {
  return writingStack(command, 'user', options.takeOverLease === true, async (takeLease) => {
    await takeLease();
    return work();
  });
}

export async function runAdd(dbUser: string, options: Record<string, unknown>): Promise<void> {
  const request = userAddOptions(dbUser, options as RawUserOptions);
  const command = await commandContext(options as RawGlobalOptions);
  const { config, out } = command;
  const ctx = userContext(command);
  try {
    const activity = out.start(`adding database user ${request.user} to stack ${config.stack}`);
    const result = await writing(command, options, () => addUser(ctx, request));
    activity.succeed(`added database user ${request.user}`);
    for (const line of dataApiLines(result.dataApi, ctx.names.cluster, config.stack)) out.info(line);
    out.result(
      () => renderAddedUser(result, config.stack),
      () => ({ stack: config.stack, ...result }),
    );
  } finally {
    out.close();
  }
}

export async function runRemove(dbUser: string, options: Record<string, unknown>): Promise<void> {
  const request = userRemoveOptions(dbUser, options as RawUserOptions);
  const command = await commandContext(options as RawGlobalOptions);
  const { config, out } = command;
  const ctx = userContext(command);
  try {
    const activity = out.start(`removing database user ${request.user} from stack ${config.stack}`);
    const result = await writing(command, options, () => removeUser(ctx, request));
    activity.succeed(`removed database user ${request.user}`);
    for (const line of dataApiLines(result.dataApi, ctx.names.cluster, config.stack)) out.info(line);
    out.result(
      () => renderRemovedUser(result, config.stack),
      () => ({ stack: config.stack, ...result }),
    );
  } finally {
    out.close();
  }
}

export async function runList(options: Record<string, unknown>): Promise<void> {
  const { closeDataApi = false } = options as RawUserOptions;
  const command = await commandContext(options as RawGlobalOptions);
  const { config, out } = command;
  const ctx = userContext(command);
  try {
    const activity = out.start(`reading the database users of stack ${config.stack}`);
    const list = await listUsers(ctx, closeDataApi);
    activity.succeed(`read the database users of stack ${config.stack}`);
    for (const line of dataApiLines(list.dataApi, ctx.names.cluster, config.stack)) out.info(line);
    out.result(
      () => renderUserList(list, config.stack),
      () => ({ stack: config.stack, ...list }),
    );
  } finally {
    out.close();
  }
}
