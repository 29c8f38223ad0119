import { CliError } from '../errors.js';
import { withDataApiClosing, type DataApiState } from './data-api-closing.js';
import { openDataApi } from './http-endpoint.js';
import { hasAuthEntry, removeAuthEntry } from './proxy-auth.js';
import { deleteUserPolicy, hasUserPolicy } from './role-policy.js';
import { refuseMasterUser } from './add-user.js';
import { dropUserStatements, FIND_ROLE, markPrefix, OWNED_OBJECTS } from './user-sql.js';
import { deleteUserSecret, findUserSecret } from './user-secret.js';
import type { UserContext } from './user-context.js';
import { readUserStack } from './user-stack.js';

export interface RemoveUserRequest {
  user: string;
  /** Who gets what the user owns; without it a user that owns anything is refused. */
  reassignTo?: string;
  closeDataApi: boolean;
}

export interface RemoveUserResult {
  user: string;
  /** What was there and is gone now. */
  removed: { role: boolean; authEntry: boolean; policy: boolean; secret?: string };
  /** How many objects went to --reassign-to. */
  reassigned?: { to: string; objects: number };
  dataApi: DataApiState;
}

/**
 * Undoes `user add`: first what lets clients in (the proxy's auth entry, the role's policy), then
 * the role (its privileges, and its objects reassigned when asked), then the secret. Also finishes
 * a half-removed user: whatever of it is left goes.
 */
export async function removeUser(ctx: UserContext, request: RemoveUserRequest): Promise<RemoveUserResult> {
  const { user, reassignTo } = request;
  const stack = await readUserStack(ctx);
  refuseMasterUser(stack, user);
  return withDataApiClosing(ctx, stack, request.closeDataApi, async (dataApi) => {
    const { database, opened } = await openDataApi(ctx, stack);
    dataApi.opened = opened;
    const [role] = await database.query(`looking for database user ${user}`, FIND_ROLE, { name: user });
    if (role && !(typeof role.mark === 'string' && role.mark.startsWith(markPrefix(ctx.config.stack)))) {
      throw new CliError(`Database role ${user} was not made by rdsproxy-setup for stack ${ctx.config.stack}; it is left alone.`, {
        hint: 'rdsproxy-setup removes only the users it made (`rdsproxy-setup user list` shows them).',
        code: 'ForeignUser',
      });
    }
    const [secret, policy] = await Promise.all([findUserSecret(ctx, user), hasUserPolicy(ctx, stack, user)]);
    const authEntry = secret !== undefined && hasAuthEntry(stack, secret.arn);
    if (!role && !secret && !policy && !authEntry) {
      throw new CliError(`Stack ${ctx.config.stack} has no database user ${user}.`, {
        hint: `\`rdsproxy-setup user list --name ${ctx.config.stack}\` shows its users.`,
        code: 'UserNotFound',
      });
    }
    let owned = 0;
    if (role) {
      const objects = await database.query(`listing what ${user} owns`, OWNED_OBJECTS, { name: user });
      owned = objects.length;
      if (owned > 0 && !reassignTo) {
        const listed = objects.slice(0, 10).map((o) => `${String(o.kind)} ${String(o.name)}`).join(', ');
        throw new CliError(`Database user ${user} owns ${owned === 50 ? 'at least 50' : owned} objects (${listed}${owned > 10 ? ', …' : ''}); nothing was removed.`, {
          hint: `Give them to another user: rdsproxy-setup user remove ${user} --reassign-to ${stack.cluster.masterUser} --name ${ctx.config.stack}`,
          code: 'UserOwnsObjects',
        });
      }
      if (reassignTo) {
        const [heir] = await database.query(`looking for database user ${reassignTo}`, FIND_ROLE, { name: reassignTo });
        if (!heir) throw new CliError(`--reassign-to ${reassignTo}: there is no such database user; nothing was removed.`, { code: 'UserNotFound' });
      }
    }
    if (secret && authEntry) await removeAuthEntry(ctx, stack, user, secret.arn);
    if (policy) await deleteUserPolicy(ctx, stack, user);
    if (role) {
      await database.transaction(`dropping database user ${user}`, async (run) => {
        for (const statement of dropUserStatements(user, reassignTo)) await run(statement);
      });
    }
    if (secret) await deleteUserSecret(ctx, secret);
    return {
      user,
      removed: { role: role !== undefined, authEntry, policy, secret: secret?.name },
      reassigned: reassignTo && role ? { to: reassignTo, objects: owned } : undefined,
      dataApi,
    };
  });
}
