import { UsageError, CliError } from '../errors.js';
import type { AuthMode } from '../config/up-config.js';
import { clusterConnectArn } from '../config/user-policy.js';
import { withDataApiClosing, type DataApiState } from './data-api-closing.js';
import { openDataApi } from './http-endpoint.js';
import { addAuthEntry } from './proxy-auth.js';
import { putUserPolicy } from './role-policy.js';
import { scramVerifier } from './scram.js';
import { createUserStatements, FIND_ROLE, markPrefix, type UserAccess } from './user-sql.js';
import { findUserSecret, writeUserSecret } from './user-secret.js';
import type { UserContext } from './user-context.js';
import { readUserStack, type UserStack } from './user-stack.js';

export interface AddUserRequest {
  user: string;
  access: UserAccess;
  closeDataApi: boolean;
}

export interface AddUserResult {
  user: string;
  access: UserAccess;
  /** The stack's auth mode, which the user was made for. */
  mode: AuthMode;
  database: string;
  /** secrets mode: the secret the proxy signs in with (its value is never shown). */
  secret?: { name: string; arn: string };
  /** IAM mode: what the proxy's role may now rds-db:connect as. */
  proxyConnectsAs?: string;
  dataApi: DataApiState;
}

/** The master user is the stack's own: user commands never make, change or drop it. */
export function refuseMasterUser(stack: UserStack, user: string, option = '<db-user>'): void {
  if (user === stack.cluster.masterUser) {
    throw new UsageError(`${option} "${user}" is the master user of cluster ${stack.cluster.id}; it is not a user to add or remove.`);
  }
}

/**
 * Creates a database user in the stack's auth mode. secrets: a password made by AWS in a new
 * secret, the role with that password's SCRAM verifier, the secret in the proxy's auth list (IAM
 * required) and readable by the proxy's role. iam: the role in rds_iam, and rds-db:connect as it
 * on the cluster's resource id for the proxy's role. Privileges per `access`.
 */
export async function addUser(ctx: UserContext, request: AddUserRequest): Promise<AddUserResult> {
  const { user, access } = request;
  const stack = await readUserStack(ctx);
  refuseMasterUser(stack, user);
  const mode = stack.proxy.mode;
  return withDataApiClosing(ctx, stack, request.closeDataApi, async (dataApi) => {
    const { database, opened } = await openDataApi(ctx, stack);
    dataApi.opened = opened;
    const [existing] = await database.query(`looking for database user ${user}`, FIND_ROLE, { name: user });
    if (existing) {
      const ours = typeof existing.mark === 'string' && existing.mark.startsWith(markPrefix(ctx.config.stack));
      throw new CliError(
        ours
          ? `Database user ${user} already exists in stack ${ctx.config.stack}.`
          : `A database role ${user} already exists and was not made by rdsproxy-setup for stack ${ctx.config.stack}; it is left alone.`,
        {
          hint: ours
            ? `Choose another name, or remove it first: rdsproxy-setup user remove ${user} --name ${ctx.config.stack}`
            : 'Choose another name: rdsproxy-setup never changes a role it did not make.',
          code: 'UserExists',
        },
      );
    }
    let secret: AddUserResult['secret'];
    let passwordVerifier: string | undefined;
    if (mode === 'secrets') {
      const written = await writeUserSecret(ctx, stack, user, await findUserSecret(ctx, user));
      secret = { name: written.secret.name, arn: written.secret.arn };
      passwordVerifier = scramVerifier(written.password);
    }
    await database.transaction(`creating database user ${user}`, async (run) => {
      for (const statement of createUserStatements({ stack: ctx.config.stack, user, access, mode, database: stack.cluster.database, passwordVerifier })) {
        await run(statement);
      }
    });
    try {
      await putUserPolicy(ctx, stack, user, mode);
      if (secret) await addAuthEntry(ctx, stack, user, secret.arn);
    } catch (err) {
      const cause = err as CliError;
      throw new CliError(`${cause.message} (database user ${user} exists, but the proxy cannot log in as it yet)`, {
        hint: `Run \`rdsproxy-setup user remove ${user} --name ${ctx.config.stack}\`, then add it again.`,
        source: cause.source,
        code: cause.code,
        cause: err,
      });
    }
    const proxyConnectsAs =
      mode === 'iam'
        ? clusterConnectArn({ stack: ctx.config.stack, user, stackArn: stack.cluster.arn, clusterResourceId: stack.cluster.resourceId })
        : undefined;
    return { user, access, mode, database: stack.cluster.database, secret, proxyConnectsAs, dataApi };
  });
}
