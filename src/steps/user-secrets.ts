import { DeleteSecretCommand, paginateListSecrets } from '@aws-sdk/client-secrets-manager';
import { aws, isNotFound } from '../aws/errors.js';
import { hasStackTag, userSecretPrefix } from '../config/names.js';
import { keptSecret } from './secret.js';
import type { KeptResource, ReadContext } from './step.js';

/** The same window as the master secret's: a cluster restored from the final snapshot still has the users. */
const RECOVERY_WINDOW_DAYS = 7;

export interface UserSecretFound {
  name: string;
  arn: string;
  deletedDate?: Date;
}

/** The database users' secrets (`user add`), by their name prefix; only those with the stack tag. */
export async function findUserSecrets(ctx: ReadContext): Promise<UserSecretFound[]> {
  const prefix = userSecretPrefix(ctx.config.stack);
  const sm = await ctx.clients.secretsManager();
  const found: UserSecretFound[] = [];
  await aws(`listing the secrets of the database users of stack ${ctx.config.stack}`, async () => {
    const pages = paginateListSecrets({ client: sm }, { Filters: [{ Key: 'name', Values: [prefix] }], IncludePlannedDeletion: true });
    for await (const page of pages) {
      for (const s of page.SecretList ?? []) {
        if (s.Name?.startsWith(prefix) && s.ARN && hasStackTag(s.Tags, ctx.config.stack)) {
          found.push({ name: s.Name, arn: s.ARN, deletedDate: s.DeletedDate });
        }
      }
    }
  });
  return found;
}

export function userSecretManualDelete(ctx: ReadContext, secret: UserSecretFound): string {
  return `aws secretsmanager delete-secret --secret-id ${secret.name} --recovery-window-in-days ${RECOVERY_WINDOW_DAYS} --region ${ctx.config.region}`;
}

/** Deletes one user's secret as teardown deletes the master's: recoverable for 7 days unless forced. */
export async function deleteUserSecretKept(ctx: ReadContext, secret: UserSecretFound, force: boolean): Promise<KeptResource | undefined> {
  if (secret.deletedDate && !force) return keptSecret(ctx, secret.name, secret.deletedDate, true);
  const sm = await ctx.clients.secretsManager();
  try {
    const out = await aws(`deleting secret ${secret.name}`, () =>
      sm.send(
        new DeleteSecretCommand(
          force ? { SecretId: secret.arn, ForceDeleteWithoutRecovery: true } : { SecretId: secret.arn, RecoveryWindowInDays: RECOVERY_WINDOW_DAYS },
        ),
      ),
    );
    if (force) return undefined;
    return keptSecret(ctx, secret.name, out.DeletionDate ?? new Date(Date.now() + RECOVERY_WINDOW_DAYS * 86_400_000), false);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
