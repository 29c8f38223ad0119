import { GetRolePolicyCommand, paginateListRolePolicies, PutRolePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { aws } from '../aws/errors.js';
import { USER_POLICY_PREFIX, userPolicyName } from '../config/names.js';
import type { AuthMode } from '../config/up-config.js';
import { userPolicyDocument, type UserPolicyScope } from '../config/user-policy.js';
import { readCluster } from '../waiters/cluster.js';
import { readProxy } from '../waiters/proxy.js';
import { samePolicy } from './role-policies.js';
import type { BuildContext, Change } from './step.js';

/**
 * The proxy role's inline policies for the database users (`user-<name>`, written by `user add`)
 * follow the stack's auth mode: when `up --auth` switches it, each is rewritten for the new mode
 * (rds-db:connect as the user, or reading its secret). What the database itself needs then
 * (GRANT or REVOKE rds_iam, a password) is the user commands' work; `up` says which users.
 */
const FIELD_PREFIX = `inline policy ${USER_POLICY_PREFIX}`;

const IN_WORDS: Record<AuthMode, string> = {
  iam: 'rds-db:connect as the user (IAM mode)',
  secrets: "read the user's secret (secrets mode)",
};

async function userPolicyNames(iam: IAMClient, role: string): Promise<string[]> {
  const names: string[] = [];
  await aws(`listing the inline policies of IAM role ${role}`, async () => {
    for await (const page of paginateListRolePolicies({ client: iam }, { RoleName: role })) names.push(...(page.PolicyNames ?? []));
  });
  return names.filter((n) => n.startsWith(USER_POLICY_PREFIX));
}

/** The mode `up` wants: --auth, else the proxy's own (a new proxy has none of these policies yet). */
async function wantedMode(ctx: BuildContext): Promise<AuthMode> {
  if (ctx.settings.auth) return ctx.settings.auth;
  const proxy = await readProxy(await ctx.clients.rds(), ctx.names.proxy);
  return proxy?.DefaultAuthScheme === 'IAM_AUTH' ? 'iam' : 'secrets';
}

async function scopeOf(ctx: BuildContext, user: string): Promise<UserPolicyScope | undefined> {
  const cluster = await readCluster(ctx, ctx.names.cluster);
  if (!cluster?.DBClusterArn || !cluster.DbClusterResourceId) return undefined;
  return { stack: ctx.config.stack, user, stackArn: cluster.DBClusterArn, clusterResourceId: cluster.DbClusterResourceId };
}

/** The users' policies that do not fit the wanted mode; reads only. */
export async function userPolicyChanges(ctx: BuildContext, role: string): Promise<Change[]> {
  const iam = await ctx.clients.iam();
  const policies = await userPolicyNames(iam, role);
  if (policies.length === 0) return [];
  const mode = await wantedMode(ctx);
  const changes: Change[] = [];
  for (const policyName of policies) {
    const user = policyName.slice(USER_POLICY_PREFIX.length);
    const scope = await scopeOf(ctx, user);
    if (!scope) return [];
    const { PolicyDocument } = await aws(`reading the inline policy ${policyName} of IAM role ${role}`, () =>
      iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: policyName })),
    );
    if (samePolicy(PolicyDocument ?? '', userPolicyDocument(mode, scope))) continue;
    const other: AuthMode = mode === 'iam' ? 'secrets' : 'iam';
    const have = samePolicy(PolicyDocument ?? '', userPolicyDocument(other, scope)) ? IN_WORDS[other] : 'other statements';
    changes.push({ field: `${FIELD_PREFIX}${user}`, ref: user, have, want: IN_WORDS[mode] });
  }
  return changes;
}

export function isUserPolicyChange(change: Change): boolean {
  return change.field.startsWith(FIELD_PREFIX);
}

/** Rewrites the users' policies the changes name, for the wanted mode. */
export async function applyUserPolicyChanges(ctx: BuildContext, role: string, changes: readonly Change[]): Promise<void> {
  const users = changes.filter(isUserPolicyChange).map((c) => c.ref ?? '');
  if (users.length === 0) return;
  const iam = await ctx.clients.iam();
  const mode = await wantedMode(ctx);
  for (const user of users) {
    const scope = await scopeOf(ctx, user);
    if (!scope) continue;
    await aws(`rewriting the inline policy ${userPolicyName(user)} of IAM role ${role}`, () =>
      iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: userPolicyName(user), PolicyDocument: JSON.stringify(userPolicyDocument(mode, scope)) })),
    );
  }
}

/** The database users a mode switch left needing work in the database, and the mode they now need. */
export function usersToMigrate(changes: readonly Change[], mode: AuthMode | undefined): { user: string; mode: AuthMode }[] {
  if (!mode) return [];
  return changes.filter(isUserPolicyChange).map((c) => ({ user: c.ref ?? '', mode }));
}
