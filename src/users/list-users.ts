import { paginateListRolePolicies } from '@aws-sdk/client-iam';
import { aws } from '../aws/errors.js';
import { userPolicyName } from '../config/names.js';
import type { AuthMode } from '../config/up-config.js';
import { withDataApiClosing, type DataApiState } from './data-api-closing.js';
import { openDataApi } from './http-endpoint.js';
import { hasAuthEntry } from './proxy-auth.js';
import { accessOfMark, LIST_USERS, markPrefix, type UserAccess } from './user-sql.js';
import { findUserSecret } from './user-secret.js';
import type { UserContext } from './user-context.js';
import { readUserStack } from './user-stack.js';

export interface ListedUser {
  user: string;
  access?: UserAccess;
  inRdsIam: boolean;
  secret: boolean;
  authEntry: boolean;
  policy: boolean;
  /** What the user lacks for the proxy to log in as it in the stack's mode; empty when ready. */
  needs: string[];
}

export interface UserList {
  mode: AuthMode;
  users: ListedUser[];
  dataApi: DataApiState;
}

/** What a user needs, in the stack's mode, for the proxy to log in as it. */
function needs(mode: AuthMode, u: Omit<ListedUser, 'needs'>): string[] {
  if (mode === 'iam') {
    return [...(u.inRdsIam ? [] : ['GRANT rds_iam']), ...(u.policy ? [] : ['rds-db:connect for the proxy role'])];
  }
  return [
    ...(u.secret ? [] : ['a secret with its password']),
    ...(u.authEntry || !u.secret ? [] : ["its secret in the proxy's auth list"]),
    ...(u.policy ? [] : ['the proxy role may read its secret']),
    // The trap: a member of rds_iam can no longer log in with a password.
    ...(u.inRdsIam ? ['REVOKE rds_iam (it cannot log in with a password)'] : []),
  ];
}

export async function listUsers(ctx: UserContext, closeDataApi: boolean): Promise<UserList> {
  const stack = await readUserStack(ctx);
  return withDataApiClosing(ctx, stack, closeDataApi, async (dataApi) => {
    const { database, opened } = await openDataApi(ctx, stack);
    dataApi.opened = opened;
    const rows = await database.query('listing database users', LIST_USERS, { prefix: markPrefix(ctx.config.stack) });
    const iam = await ctx.clients.iam();
    const policies = new Set<string>();
    await aws(`listing the inline policies of IAM role ${stack.role.name}`, async () => {
      for await (const page of paginateListRolePolicies({ client: iam }, { RoleName: stack.role.name })) {
        for (const name of page.PolicyNames ?? []) policies.add(name);
      }
    });
    const users = await Promise.all(
      rows.map(async (row): Promise<ListedUser> => {
        const user = String(row.name);
        const secret = await findUserSecret(ctx, user);
        const listed = {
          user,
          access: accessOfMark(String(row.mark ?? '')),
          inRdsIam: row.in_rds_iam === true,
          secret: secret !== undefined && !secret.deletedDate,
          authEntry: secret !== undefined && hasAuthEntry(stack, secret.arn),
          policy: policies.has(userPolicyName(user)),
        };
        return { ...listed, needs: needs(stack.proxy.mode, listed) };
      }),
    );
    return { mode: stack.proxy.mode, users, dataApi };
  });
}
