import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  RestoreSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { aws, isNotFound, unlessNotFound } from '../aws/errors.js';
import { POSTGRES_PORT, STACK_TAG_KEY, hasStackTag, createdTags, runIdOf } from '../config/names.js';
import { CliError, ForeignResourceError } from '../errors.js';
import type { KeptResource, Step, ReadContext } from './step.js';

/** Aurora master passwords may hold any printable ASCII except / @ " ' and space. */
export const PASSWORD_EXCLUDED_CHARACTERS = '/@"\' ';
const PASSWORD_LENGTH = 32;
const RECOVERY_WINDOW_DAYS = 7;

function restoreCommand(ctx: ReadContext, name: string): string {
  return `aws secretsmanager restore-secret --secret-id ${name} --region ${ctx.config.region}`;
}

/** The secret left in its recovery window, with the date and the command that restores it. */
export function keptSecret(ctx: ReadContext, name: string, deletion: Date, alreadyScheduled: boolean): KeptResource {
  const when = alreadyScheduled ? 'already scheduled for deletion on' : 'recoverable until';
  return { kind: 'secret', id: name, detail: `${when} ${deletion.toISOString()} (${restoreCommand(ctx, name)})` };
}

async function generatePassword(ctx: ReadContext): Promise<string> {
  const sm = await ctx.clients.secretsManager();
  const { RandomPassword } = await aws('generating the master password', () =>
    sm.send(
      new GetRandomPasswordCommand({
        PasswordLength: PASSWORD_LENGTH,
        ExcludeCharacters: PASSWORD_EXCLUDED_CHARACTERS,
      }),
    ),
  );
  if (!RandomPassword) throw new CliError('generating the master password: AWS returned none.', { source: 'aws' });
  return RandomPassword;
}

export const secretStep: Step<'secret'> = {
  id: 'secret',
  title: 'master secret',
  needs: [],
  owned: true,
  plannedId: (ctx) => ctx.names.secret,

  async find(ctx) {
    const name = ctx.names.secret;
    const sm = await ctx.clients.secretsManager();
    const found = await unlessNotFound(() =>
      aws(`looking up secret ${name}`, () => sm.send(new DescribeSecretCommand({ SecretId: name }))),
    );
    if (!found) return undefined;
    if (!hasStackTag(found.Tags, ctx.config.stack)) {
      throw new ForeignResourceError('Secret', name, STACK_TAG_KEY, ctx.config.stack);
    }
    return { arn: found.ARN ?? '', name, kmsKeyId: found.KmsKeyId, deletedDate: found.DeletedDate, runId: runIdOf(found.Tags) };
  },

  /** The password is made by AWS and goes straight into the secret: it never passes through output. */
  async create(ctx) {
    const name = ctx.names.secret;
    const password = await generatePassword(ctx);
    const sm = await ctx.clients.secretsManager();
    const { ARN } = await aws(`creating secret ${name}`, () =>
      sm.send(
        new CreateSecretCommand({
          Name: name,
          Description: `rdsproxy-setup ${ctx.config.stack}: Aurora master user, read by RDS Proxy`,
          SecretString: JSON.stringify({
            username: ctx.settings.masterUser,
            password,
            engine: 'postgres',
            port: POSTGRES_PORT,
            dbClusterIdentifier: ctx.names.cluster,
            host: '',
          }),
          Tags: createdTags(ctx.config.stack, ctx.runId),
        }),
      ),
    );
    if (!ARN) throw new CliError(`creating secret ${name}: AWS returned no ARN.`, { source: 'aws' });
    return { arn: ARN, name };
  },

  async drift(_ctx, secret) {
    if (!secret.deletedDate) return [];
    return [{ field: 'DeletedDate', have: `deletion scheduled for ${secret.deletedDate.toISOString()}`, want: 'not scheduled' }];
  },

  /** A rolled-back or torn-down stack's secret is restored, so its password keeps matching the cluster. */
  async converge(ctx, secret) {
    const sm = await ctx.clients.secretsManager();
    await aws(`restoring secret ${secret.name}`, () => sm.send(new RestoreSecretCommand({ SecretId: secret.arn })));
    return { ...secret, deletedDate: undefined };
  },

  async destroy(ctx, secret, { forceDeleteSecret }): Promise<KeptResource | void> {
    if (secret.deletedDate && !forceDeleteSecret) return keptSecret(ctx, secret.name, secret.deletedDate, true);
    const sm = await ctx.clients.secretsManager();
    let deletionDate: Date | undefined;
    try {
      ({ DeletionDate: deletionDate } = await aws(`deleting secret ${secret.name}`, () =>
        sm.send(
          new DeleteSecretCommand(
            forceDeleteSecret
              ? { SecretId: secret.arn, ForceDeleteWithoutRecovery: true }
              : { SecretId: secret.arn, RecoveryWindowInDays: RECOVERY_WINDOW_DAYS },
          ),
        ),
      ));
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (forceDeleteSecret) return;
    const until = deletionDate ?? new Date(Date.now() + RECOVERY_WINDOW_DAYS * 86_400_000);
    return keptSecret(ctx, secret.name, until, false);
  },

  manualDelete: (ctx, secret) =>
    `aws secretsmanager delete-secret --secret-id ${secret.name} --recovery-window-in-days ${RECOVERY_WINDOW_DAYS} --region ${ctx.config.region}`,

  summary: (secret) => ({
    id: secret.name,
    arn: secret.arn,
    state: secret.deletedDate ? 'scheduled for deletion' : 'active',
  }),
};
