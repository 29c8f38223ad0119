import { GetRoleCommand } from '@aws-sdk/client-iam';
import { ListTagsForResourceCommand, type UserAuthConfigInfo } from '@aws-sdk/client-rds';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { aws, unlessNotFound } from '../aws/errors.js';
import { hasStackTag, STACK_TAG_KEY } from '../config/names.js';
import type { AuthMode } from '../config/up-config.js';
import { CliError, ForeignResourceError } from '../errors.js';
import { readCluster } from '../waiters/cluster.js';
import { readProxy } from '../waiters/proxy.js';
import type { UserContext } from './user-context.js';

/** The parts of a stack that database users live in, read fresh for each user command. */
export interface UserStack {
  cluster: {
    id: string;
    arn: string;
    endpoint: string;
    /** `cluster-…`: IAM mode's rds-db:connect resource names it. */
    resourceId: string;
    httpEndpoint: boolean;
    iamDatabaseAuthentication: boolean;
    masterUser: string;
    database: string;
  };
  proxy: { name: string; arn: string; auth: UserAuthConfigInfo[]; mode: AuthMode };
  role: { name: string; arn: string };
  masterSecretArn: string;
}

function missing(ctx: UserContext, what: string): CliError {
  return new CliError(`Stack ${ctx.config.stack} has no ${what} in ${ctx.config.region}.`, {
    hint: `Run \`rdsproxy-setup up --name ${ctx.config.stack}\` first.`,
    code: 'StackIncomplete',
  });
}

/** Reads the stack's cluster, proxy, proxy role and master secret; each must carry the stack tag. */
export async function readUserStack(ctx: UserContext): Promise<UserStack> {
  const { names, config } = ctx;
  const foreign = (kind: string, id: string) => new ForeignResourceError(kind, id, STACK_TAG_KEY, config.stack);
  const rds = await ctx.clients.rds();
  const [cluster, proxy, role, secret] = await Promise.all([
    readCluster(ctx, names.cluster),
    readProxy(rds, names.proxy),
    (async () => {
      const iam = await ctx.clients.iam();
      const out = await unlessNotFound(() => aws(`reading IAM role ${names.role}`, () => iam.send(new GetRoleCommand({ RoleName: names.role }))));
      return out?.Role;
    })(),
    (async () => {
      const sm = await ctx.clients.secretsManager();
      return unlessNotFound(() => aws(`looking up secret ${names.secret}`, () => sm.send(new DescribeSecretCommand({ SecretId: names.secret }))));
    })(),
  ]);
  if (!cluster) throw missing(ctx, `Aurora cluster ${names.cluster}`);
  if (!hasStackTag(cluster.TagList, config.stack)) throw foreign('Aurora cluster', names.cluster);
  if (!proxy) throw missing(ctx, `RDS proxy ${names.proxy}`);
  const proxyTags = await aws(`reading the tags of RDS proxy ${names.proxy}`, () =>
    rds.send(new ListTagsForResourceCommand({ ResourceName: proxy.DBProxyArn })),
  );
  if (!hasStackTag(proxyTags.TagList, config.stack)) throw foreign('RDS proxy', names.proxy);
  if (!role) throw missing(ctx, `IAM role ${names.role}`);
  if (!hasStackTag(role.Tags, config.stack)) throw foreign('IAM role', names.role);
  if (!secret?.ARN || secret.DeletedDate) throw missing(ctx, `master secret ${names.secret}`);
  if (!hasStackTag(secret.Tags, config.stack)) throw foreign('Secret', names.secret);
  return {
    cluster: {
      id: names.cluster,
      arn: cluster.DBClusterArn ?? '',
      endpoint: cluster.Endpoint ?? '',
      resourceId: cluster.DbClusterResourceId ?? '',
      httpEndpoint: cluster.HttpEndpointEnabled ?? false,
      iamDatabaseAuthentication: cluster.IAMDatabaseAuthenticationEnabled ?? false,
      masterUser: cluster.MasterUsername ?? '',
      database: cluster.DatabaseName ?? 'postgres',
    },
    proxy: {
      name: names.proxy,
      arn: proxy.DBProxyArn ?? '',
      auth: proxy.Auth ?? [],
      mode: proxy.DefaultAuthScheme === 'IAM_AUTH' ? 'iam' : 'secrets',
    },
    role: { name: names.role, arn: role.Arn ?? '' },
    masterSecretArn: secret.ARN,
  };
}
