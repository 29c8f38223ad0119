import {
  AttachRolePolicyCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetAccountSummaryCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  PutRolePolicyCommand,
  SimulatePrincipalPolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
  paginateListRoleTags,
} from '@aws-sdk/client-iam';
import { aws, isAccessDenied, isNotFound, unlessNotFound } from '../aws/errors.js';
import { AWS_LIMITS } from '../config/aws-limits.js';
import type { GrantContext } from './context.js';
import { grantsNetworkInterfaces, NETWORK_INTERFACE_ACTIONS } from './network-interface-permissions.js';
import { tagRecord } from './records.js';

/** A role as grant reads it: path, tags and every policy it holds. */
export interface RoleFacts {
  name: string;
  arn: string;
  path: string;
  tags: Record<string, string>;
  /** Inline policy name → document (decoded). */
  inlinePolicies: Map<string, string>;
  attachedPolicyArns: string[];
}

/** `arn:aws:iam::123456789012:role/service/x` → `x`. */
export const roleNameOf = (roleArn: string): string => roleArn.slice(roleArn.lastIndexOf('/') + 1);

async function allPages<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}

/** The role with its policies and tags, or undefined when there is no such role. */
export async function readRole(ctx: GrantContext, name: string): Promise<RoleFacts | undefined> {
  const iam = await ctx.clients.iam();
  const got = await unlessNotFound(() => aws(`reading IAM role ${name}`, () => iam.send(new GetRoleCommand({ RoleName: name }))));
  if (!got?.Role) return undefined;
  const [names, attached, tags] = await Promise.all([
    aws(`listing the inline policies of IAM role ${name}`, () =>
      allPages(paginateListRolePolicies({ client: iam }, { RoleName: name }), (p) => p.PolicyNames),
    ),
    aws(`listing the managed policies of IAM role ${name}`, () =>
      allPages(paginateListAttachedRolePolicies({ client: iam }, { RoleName: name }), (p) => p.AttachedPolicies),
    ),
    aws(`reading the tags of IAM role ${name}`, () => allPages(paginateListRoleTags({ client: iam }, { RoleName: name }), (p) => p.Tags)),
  ]);
  const documents = await Promise.all(
    names.map(async (policy) => {
      const { PolicyDocument } = await aws(`reading inline policy ${policy} of IAM role ${name}`, () =>
        iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policy })),
      );
      return [policy, decodeURIComponent(PolicyDocument ?? '')] as const;
    }),
  );
  return {
    name,
    arn: got.Role.Arn ?? '',
    path: got.Role.Path ?? '/',
    tags: tagRecord(tags),
    inlinePolicies: new Map(documents),
    attachedPolicyArns: attached.flatMap((p) => (p.PolicyArn ? [p.PolicyArn] : [])),
  };
}

export async function putRolePolicy(ctx: GrantContext, role: string, policy: string, document: string): Promise<void> {
  const iam = await ctx.clients.iam();
  await aws(`writing inline policy ${policy} of IAM role ${role}`, () =>
    iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: policy, PolicyDocument: document })),
  );
}

/** Gone already is done. */
export async function deleteRolePolicy(ctx: GrantContext, role: string, policy: string): Promise<void> {
  const iam = await ctx.clients.iam();
  try {
    await aws(`deleting inline policy ${policy} of IAM role ${role}`, () => iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: policy })));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

export async function attachRolePolicy(ctx: GrantContext, role: string, policyArn: string): Promise<void> {
  const iam = await ctx.clients.iam();
  await aws(`attaching ${policyArn} to IAM role ${role}`, () => iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: policyArn })));
}

/** Not attached (any more) is done. */
export async function detachRolePolicy(ctx: GrantContext, role: string, policyArn: string): Promise<void> {
  const iam = await ctx.clients.iam();
  try {
    await aws(`detaching ${policyArn} from IAM role ${role}`, () => iam.send(new DetachRolePolicyCommand({ RoleName: role, PolicyArn: policyArn })));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

export async function tagRole(ctx: GrantContext, role: string, tags: Readonly<Record<string, string>>): Promise<void> {
  const iam = await ctx.clients.iam();
  await aws(`tagging IAM role ${role}`, () =>
    iam.send(new TagRoleCommand({ RoleName: role, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) })),
  );
}

export async function untagRole(ctx: GrantContext, role: string, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const iam = await ctx.clients.iam();
  try {
    await aws(`removing tags from IAM role ${role}`, () => iam.send(new UntagRoleCommand({ RoleName: role, TagKeys: [...keys] })));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/**
 * Whether the role may manage the network interfaces a function in a VPC needs: asked of IAM's
 * policy simulator (as doctor's client.same-vpc does); where it is denied or unavailable, read
 * from the role's own policies.
 */
export async function hasNetworkInterfacePermissions(ctx: GrantContext, role: RoleFacts): Promise<boolean> {
  const iam = await ctx.clients.iam();
  try {
    const { EvaluationResults } = await iam.send(
      new SimulatePrincipalPolicyCommand({ PolicySourceArn: role.arn, ActionNames: [...NETWORK_INTERFACE_ACTIONS], ResourceArns: ['*'] }),
    );
    return NETWORK_INTERFACE_ACTIONS.every((action) =>
      (EvaluationResults ?? []).some((r) => r.EvalActionName === action && r.EvalDecision === 'allowed'),
    );
  } catch {
    return grantsNetworkInterfaces([...role.inlinePolicies.values()], role.attachedPolicyArns);
  }
}

/** How many managed policies a role may hold in this account (the default quota when it cannot be read). */
export async function attachedPoliciesQuota(ctx: GrantContext): Promise<number> {
  const iam = await ctx.clients.iam();
  try {
    const { SummaryMap } = await iam.send(new GetAccountSummaryCommand({}));
    return SummaryMap?.AttachedPoliciesPerRoleQuota ?? AWS_LIMITS.attachedPoliciesPerRole.max;
  } catch (err) {
    if (!isAccessDenied(err) && !isNotFound(err)) throw err;
    return AWS_LIMITS.attachedPoliciesPerRole.max;
  }
}
