import { CliError } from '../errors.js';
import type { GrantTarget, StackTarget } from '../grants/target.js';
import { readStack } from '../steps/plan.js';
import { readSecretCredentials } from '../steps/secret-value.js';
import { STACK_STEPS } from '../steps/stack.js';
import type { ReadContext } from '../steps/step.js';

/** What grant needs of the stack: the proxy, its security group and the database behind it. */
const GRANT_STEPS = STACK_STEPS.filter((s) => s.id === 'proxy-sg' || s.id === 'proxy' || s.id === 'cluster');
const INDEX_STEPS = STACK_STEPS.filter((s) => s.id === 'proxy-sg');

/** The users the proxy's secrets hold, in its auth order; a secret that cannot be read is passed over. */
async function proxyUsers(ctx: ReadContext, secretArns: string[]): Promise<string[]> {
  const users = await Promise.all(
    secretArns.map((arn) =>
      readSecretCredentials(ctx.clients, arn).then(
        (c) => c.username,
        () => undefined,
      ),
    ),
  );
  return [...new Set(users.filter((u): u is string => u !== undefined))];
}

/** Reads the stack with its own steps and hands grant a plain target; a stack without a proxy is refused. */
export async function grantTarget(ctx: ReadContext): Promise<GrantTarget> {
  await readStack(ctx, GRANT_STEPS);
  const { stack, region } = ctx.config;
  const proxy = ctx.resources.proxy;
  const group = ctx.resources['proxy-sg'];
  const cluster = ctx.resources.cluster;
  if (!proxy || !group || !cluster) {
    const missing = [!proxy && 'proxy', !group && 'proxy security group', !cluster && 'cluster'].filter(Boolean).join(', ');
    throw new CliError(`Stack ${stack} has no ${missing} in ${region}: there is nothing to grant access to.`, {
      hint: `Run \`rdsproxy-setup up --name ${stack}\` first.`,
      code: 'NoStack',
    });
  }
  const users = await proxyUsers(
    ctx,
    proxy.auth.flatMap((a) => (a.SecretArn ? [a.SecretArn] : [])),
  );
  return {
    stack,
    region,
    proxySecurityGroupId: group.id,
    proxy: {
      name: proxy.name,
      arn: proxy.arn,
      resourceId: proxy.resourceId,
      endpoint: proxy.endpoint,
      vpcId: proxy.vpcId ?? group.vpcId,
      subnetIds: proxy.subnetIds ?? [],
    },
    databaseName: cluster.databaseName ?? 'postgres',
    users: users.length > 0 ? users : [cluster.masterUser].filter(Boolean),
  };
}

/** What revoke, status and teardown need: the stack and its proxy security group, if it is still there. */
export async function stackTarget(ctx: ReadContext): Promise<StackTarget> {
  if (!ctx.resources['proxy-sg']) await readStack(ctx, INDEX_STEPS);
  return { stack: ctx.config.stack, proxySecurityGroupId: ctx.resources['proxy-sg']?.id };
}
