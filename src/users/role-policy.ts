import { DeleteRolePolicyCommand, GetRolePolicyCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { aws, isNotFound, unlessNotFound } from '../aws/errors.js';
import { userPolicyName } from '../config/names.js';
import type { AuthMode } from '../config/up-config.js';
import { userPolicyDocument } from '../config/user-policy.js';
import type { UserContext } from './user-context.js';
import type { UserStack } from './user-stack.js';

/** Lets the proxy log in as the user: read its secret (secrets mode) or rds-db:connect as it (IAM mode). */
export async function putUserPolicy(ctx: UserContext, stack: UserStack, user: string, mode: AuthMode): Promise<void> {
  const iam = await ctx.clients.iam();
  const document = userPolicyDocument(mode, {
    stack: ctx.config.stack,
    user,
    stackArn: stack.cluster.arn,
    clusterResourceId: stack.cluster.resourceId,
  });
  await aws(`allowing IAM role ${stack.role.name} to log in as ${user}`, () =>
    iam.send(new PutRolePolicyCommand({ RoleName: stack.role.name, PolicyName: userPolicyName(user), PolicyDocument: JSON.stringify(document) })),
  );
}

export async function hasUserPolicy(ctx: UserContext, stack: UserStack, user: string): Promise<boolean> {
  const iam = await ctx.clients.iam();
  const found = await unlessNotFound(() =>
    aws(`reading the inline policy ${userPolicyName(user)} of IAM role ${stack.role.name}`, () =>
      iam.send(new GetRolePolicyCommand({ RoleName: stack.role.name, PolicyName: userPolicyName(user) })),
    ),
  );
  return found !== undefined;
}

export async function deleteUserPolicy(ctx: UserContext, stack: UserStack, user: string): Promise<void> {
  const iam = await ctx.clients.iam();
  try {
    await aws(`removing the inline policy ${userPolicyName(user)} from IAM role ${stack.role.name}`, () =>
      iam.send(new DeleteRolePolicyCommand({ RoleName: stack.role.name, PolicyName: userPolicyName(user) })),
    );
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
