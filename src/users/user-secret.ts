import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { aws, isNotFound, unlessNotFound } from '../aws/errors.js';
import { hasStackTag, POSTGRES_PORT, STACK_TAG_KEY, stackTags, userSecretName } from '../config/names.js';
import { CliError, ForeignResourceError } from '../errors.js';
import type { UserContext } from './user-context.js';
import type { UserStack } from './user-stack.js';

/** As the master's: Aurora passwords may hold any printable ASCII except / @ " ' and space. */
const PASSWORD_EXCLUDED_CHARACTERS = '/@"\' ';
const PASSWORD_LENGTH = 32;

export interface UserSecret {
  arn: string;
  name: string;
  deletedDate?: Date;
}

export async function findUserSecret(ctx: UserContext, user: string): Promise<UserSecret | undefined> {
  const name = userSecretName(ctx.config.stack, user);
  const sm = await ctx.clients.secretsManager();
  const found = await unlessNotFound(() => aws(`looking up secret ${name}`, () => sm.send(new DescribeSecretCommand({ SecretId: name }))));
  if (!found) return undefined;
  if (!hasStackTag(found.Tags, ctx.config.stack)) throw new ForeignResourceError('Secret', name, STACK_TAG_KEY, ctx.config.stack);
  return { arn: found.ARN ?? '', name, deletedDate: found.DeletedDate };
}

/**
 * A new password, made by AWS, written into the user's secret (JSON like the master's) before the
 * role exists, so no crash can lose it. A secret of an earlier user of the same name still in its
 * recovery window (a teardown's) is restored and given the new password. Returns the password: it
 * goes only into the SCRAM verifier, never into output.
 */
export async function writeUserSecret(ctx: UserContext, stack: UserStack, user: string, existing: UserSecret | undefined): Promise<{ secret: UserSecret; password: string }> {
  const sm = await ctx.clients.secretsManager();
  const name = userSecretName(ctx.config.stack, user);
  const { RandomPassword: password } = await aws(`generating the password of database user ${user}`, () =>
    sm.send(new GetRandomPasswordCommand({ PasswordLength: PASSWORD_LENGTH, ExcludeCharacters: PASSWORD_EXCLUDED_CHARACTERS })),
  );
  if (!password) throw new CliError(`generating the password of database user ${user}: AWS returned none.`, { source: 'aws' });
  const value = JSON.stringify({
    username: user,
    password,
    engine: 'postgres',
    port: POSTGRES_PORT,
    dbname: stack.cluster.database,
    dbClusterIdentifier: stack.cluster.id,
    host: stack.cluster.endpoint,
  });
  if (existing) {
    if (existing.deletedDate) await aws(`restoring secret ${name}`, () => sm.send(new RestoreSecretCommand({ SecretId: existing.arn })));
    await aws(`writing secret ${name}`, () => sm.send(new PutSecretValueCommand({ SecretId: existing.arn, SecretString: value })));
    return { secret: { arn: existing.arn, name }, password };
  }
  const { ARN } = await aws(`creating secret ${name}`, () =>
    sm.send(
      new CreateSecretCommand({
        Name: name,
        Description: `rdsproxy-setup ${ctx.config.stack}: database user ${user}, read by RDS Proxy`,
        SecretString: value,
        Tags: stackTags(ctx.config.stack),
      }),
    ),
  );
  if (!ARN) throw new CliError(`creating secret ${name}: AWS returned no ARN.`, { source: 'aws' });
  return { secret: { arn: ARN, name }, password };
}

/**
 * Deletes a removed user's secret at once: its role is dropped, so the password opens nothing, and
 * a secret left in a recovery window would keep the name from a new user for days.
 */
export async function deleteUserSecret(ctx: UserContext, secret: UserSecret): Promise<void> {
  const sm = await ctx.clients.secretsManager();
  try {
    await aws(`deleting secret ${secret.name}`, () => sm.send(new DeleteSecretCommand({ SecretId: secret.arn, ForceDeleteWithoutRecovery: true })));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
