import { ModifyDBProxyCommand, type UserAuthConfig, type UserAuthConfigInfo } from '@aws-sdk/client-rds';
import { aws } from '../aws/errors.js';
import { waitForProxyAvailable } from '../waiters/proxy.js';
import type { UserContext } from './user-context.js';
import type { UserStack } from './user-stack.js';

/** An entry as ModifyDBProxy takes it back (the read adds nothing it would refuse, but keep only its members). */
function asConfig(a: UserAuthConfigInfo): UserAuthConfig {
  return {
    AuthScheme: a.AuthScheme,
    UserName: a.UserName,
    SecretArn: a.SecretArn,
    IAMAuth: a.IAMAuth,
    Description: a.Description,
    ClientPasswordAuthType: a.ClientPasswordAuthType,
  };
}

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
  const others = stack.proxy.auth.filter((a) => a.SecretArn !== secretArn).map(asConfig);
  await writeAuth(ctx, stack, [...others, entry], `adding secret of ${user} to RDS proxy ${stack.proxy.name}`);
}

export async function removeAuthEntry(ctx: UserContext, stack: UserStack, user: string, secretArn: string): Promise<void> {
  const kept = stack.proxy.auth.filter((a) => a.SecretArn !== secretArn).map(asConfig);
  await writeAuth(ctx, stack, kept, `removing secret of ${user} from RDS proxy ${stack.proxy.name}`);
}
