import { ModifyDBProxyCommand, type UserAuthConfig } from '@aws-sdk/client-rds';
import { aws } from '../aws/errors.js';
import { otherAuthEntries } from '../aws/proxy-auth-list.js';
import { waitForProxyAvailable } from '../waiters/proxy.js';
import type { UserContext } from './user-context.js';
import type { UserStack } from './user-stack.js';

export function hasAuthEntry(stack: UserStack, secretArn: string): boolean {
  return stack.proxy.auth.some((a) => a.SecretArn === secretArn);
}

/** ModifyDBProxy replaces the whole list: every other entry is sent back as it was. */
async function writeAuth(ctx: UserContext, stack: UserStack, auth: UserAuthConfig[], doing: string): Promise<void> {
  const rds = await ctx.clients.rds();
  await aws(doing, () => rds.send(new ModifyDBProxyCommand({ DBProxyName: stack.proxy.name, Auth: auth })));
  // The proxy is `modifying` for a moment; a client right after this command should find it ready.
  await waitForProxyAvailable(ctx, stack.proxy.name);
}

/** The user's secret in the proxy's auth list, IAM required for clients (as the master's). */
export async function addAuthEntry(ctx: UserContext, stack: UserStack, user: string, secretArn: string): Promise<void> {
  const entry: UserAuthConfig = {
    AuthScheme: 'SECRETS',
    SecretArn: secretArn,
    IAMAuth: 'REQUIRED',
    Description: `rdsproxy-setup ${ctx.config.stack}: database user ${user}`,
  };
  const others = otherAuthEntries(stack.proxy.auth, secretArn);
  await writeAuth(ctx, stack, [...others, entry], `adding secret of ${user} to RDS proxy ${stack.proxy.name}`);
}

export async function removeAuthEntry(ctx: UserContext, stack: UserStack, user: string, secretArn: string): Promise<void> {
  const kept = otherAuthEntries(stack.proxy.auth, secretArn);
  await writeAuth(ctx, stack, kept, `removing secret of ${user} from RDS proxy ${stack.proxy.name}`);
}
