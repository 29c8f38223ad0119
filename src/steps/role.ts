import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  type IAMClient,
  type Role as IamRole,
  type Tag,
} from '@aws-sdk/client-iam';
import { aws, isNotFound, unlessNotFound } from '../aws/errors.js';
import { hasStackTag, STACK_TAG_KEY, createdTags, runIdOf } from '../config/names.js';
import { CliError, ForeignResourceError } from '../errors.js';
import type { Secret } from './resources.js';
import { proxyTrustPolicy, readSecretPolicy, samePolicy, type PolicyDocument } from './role-policies.js';
import { needed, type Change, type Step, type BuildContext } from './step.js';
import { applyUserPolicyChanges, userPolicyChanges } from './user-policies.js';

function title(name: string): string {
  return `IAM role ${name}`;
}

/** The wanted inline policy, in words for --dry-run. */
const WANTED_POLICY = "read the stack's secret only";

function wantedPolicy(ctx: BuildContext, secret: Secret): PolicyDocument {
  return readSecretPolicy(ctx.config.region, secret.arn, secret.kmsKeyId);
}

export async function getRole(iam: IAMClient, name: string): Promise<IamRole | undefined> {
  const out = await unlessNotFound(() => aws(`reading ${title(name)}`, () => iam.send(new GetRoleCommand({ RoleName: name }))));
  return out?.Role;
}

/** GetRole lists the tags; ask ListRoleTags only when it left them out. */
export async function roleTags(iam: IAMClient, role: IamRole): Promise<Tag[]> {
  if (role.Tags) return role.Tags;
  const name = role.RoleName ?? '';
  const tags: Tag[] = [];
  let Marker: string | undefined;
  do {
    const page = await aws(`reading the tags of ${title(name)}`, () =>
      iam.send(new ListRoleTagsCommand({ RoleName: name, Marker })),
    );
    tags.push(...(page.Tags ?? []));
    Marker = page.IsTruncated ? page.Marker : undefined;
  } while (Marker);
  return tags;
}

async function putPolicy(ctx: BuildContext, iam: IAMClient, name: string, secret: Secret): Promise<void> {
  await aws(`writing the inline policy of ${title(name)}`, () =>
    iam.send(
      new PutRolePolicyCommand({
        RoleName: name,
        PolicyName: ctx.names.rolePolicy,
        PolicyDocument: JSON.stringify(wantedPolicy(ctx, secret)),
      }),
    ),
  );
}

type Page<T> = { items: T[]; next?: string };

async function listPages<T>(fetch: (marker: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let marker: string | undefined;
  do {
    const page = await fetch(marker);
    items.push(...page.items);
    marker = page.next;
  } while (marker);
  return items;
}

/** A policy someone removed meanwhile is no reason to stop deleting the role. */
async function unlessGone(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Inline policies deleted and managed ones detached: IAM deletes only a bare role. */
export async function deleteRole(iam: IAMClient, name: string): Promise<void> {
  const inline = await listPages(async (Marker) => {
    const page = await aws(`listing the inline policies of ${title(name)}`, () =>
      iam.send(new ListRolePoliciesCommand({ RoleName: name, Marker })),
    );
    return { items: page.PolicyNames ?? [], next: page.IsTruncated ? page.Marker : undefined };
  });
  for (const PolicyName of inline) {
    await unlessGone(
      aws(`deleting the inline policy ${PolicyName} of ${title(name)}`, () =>
        iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName })),
      ),
    );
  }
  const attached = await listPages(async (Marker) => {
    const page = await aws(`listing the managed policies of ${title(name)}`, () =>
      iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name, Marker })),
    );
    return { items: page.AttachedPolicies ?? [], next: page.IsTruncated ? page.Marker : undefined };
  });
  for (const { PolicyArn } of attached) {
    await unlessGone(
      aws(`detaching ${PolicyArn} from ${title(name)}`, () =>
        iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn })),
      ),
    );
  }
  await aws(`deleting ${title(name)}`, () => iam.send(new DeleteRoleCommand({ RoleName: name })));
}

/** The role's own inline policy: read the master secret only. */
async function masterPolicyChanges(ctx: BuildContext, role: string): Promise<Change[]> {
  const iam = await ctx.clients.iam();
  const policyName = ctx.names.rolePolicy;
  try {
    const out = await aws(`reading the inline policy of ${title(role)}`, () =>
      iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: policyName })),
    );
    if (samePolicy(out.PolicyDocument ?? '', wantedPolicy(ctx, needed(ctx, 'secret')))) return [];
    return [{ field: `inline policy ${policyName}`, have: 'other statements', want: WANTED_POLICY }];
  } catch (err) {
    if (isNotFound(err)) return [{ field: `inline policy ${policyName}`, have: 'missing', want: WANTED_POLICY }];
    throw err;
  }
}

export const roleStep: Step<'role'> = {
  id: 'role',
  title: 'IAM role',
  needs: ['secret'],
  owned: true,
  plannedId: (ctx) => ctx.names.role,

  async find(ctx) {
    const iam = await ctx.clients.iam();
    const role = await getRole(iam, ctx.names.role);
    if (!role) return undefined;
    const tags = await roleTags(iam, role);
    if (!hasStackTag(tags, ctx.config.stack)) {
      throw new ForeignResourceError('IAM role', ctx.names.role, STACK_TAG_KEY, ctx.config.stack);
    }
    return { name: role.RoleName ?? ctx.names.role, arn: role.Arn ?? '', runId: runIdOf(tags) };
  },

  /**
   * Creates the role and its inline policy. Returns only after both calls, so when the policy
   * cannot be written the role just made is deleted here before the error goes on: the runner
   * records nothing, and nothing is left behind for it to roll back.
   */
  async create(ctx) {
    const secret = needed(ctx, 'secret');
    const name = ctx.names.role;
    const iam = await ctx.clients.iam();
    const out = await aws(`creating ${title(name)}`, () =>
      iam.send(
        new CreateRoleCommand({
          RoleName: name,
          AssumeRolePolicyDocument: JSON.stringify(proxyTrustPolicy()),
          Description: `Lets RDS Proxy ${ctx.names.proxy} read the master secret of stack ${ctx.config.stack}`,
          Tags: createdTags(ctx.config.stack, ctx.runId),
        }),
      ),
    );
    try {
      await putPolicy(ctx, iam, name, secret);
    } catch (err) {
      try {
        await deleteRole(iam, name);
      } catch (cleanupErr) {
        const why = cleanupErr instanceof Error ? cleanupErr.message : String(cleanupErr);
        const what = err instanceof Error ? err.message : String(err);
        throw new CliError(`${what} (and removing the new role failed: ${why})`, {
          cause: err,
          hint: `Run "up" again to finish the role, or delete it: ${roleStep.manualDelete(ctx, { name, arn: '' })}`,
        });
      }
      throw err;
    }
    return { name, arn: out.Role?.Arn ?? '' };
  },

  async drift(ctx, current) {
    const [own, users] = await Promise.all([masterPolicyChanges(ctx, current.name), userPolicyChanges(ctx, current.name)]);
    return [...own, ...users];
  },

  async converge(ctx, current, changes) {
    const iam = await ctx.clients.iam();
    if (changes.some((c) => c.field === `inline policy ${ctx.names.rolePolicy}`)) await putPolicy(ctx, iam, current.name, needed(ctx, 'secret'));
    await applyUserPolicyChanges(ctx, current.name, changes);
    return current;
  },

  async destroy(ctx, role) {
    const iam = await ctx.clients.iam();
    try {
      await deleteRole(iam, role.name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },

  manualDelete(ctx, role) {
    return (
      `aws iam delete-role-policy --role-name ${role.name} --policy-name ${ctx.names.rolePolicy} && ` +
      `aws iam delete-role --role-name ${role.name}`
    );
  },

  summary(role) {
    return { id: role.name, arn: role.arn, state: 'exists' };
  },
};
