import {
  CreateDBProxyCommand,
  DeleteDBProxyCommand,
  ListTagsForResourceCommand,
  ModifyDBProxyCommand,
  type CreateDBProxyCommandInput,
  type ModifyDBProxyCommandInput,
  type DBProxy,
  type UserAuthConfig,
  type UserAuthConfigInfo,
} from '@aws-sdk/client-rds';
import { aws, isErrorNamed, isNotFound } from '../aws/errors.js';
import { otherAuthEntries } from '../aws/proxy-auth-list.js';
import { hasStackTag, STACK_TAG_KEY, createdTags, runIdOf } from '../config/names.js';
import { CliError, ForeignResourceError } from '../errors.js';
import { formatElapsed } from '../config/timing.js';
import { readProxy, waitForProxyAvailable, waitForProxyDeleted } from '../waiters/proxy.js';
import { retryTransient } from '../waiters/retry.js';
import type { Proxy } from './resources.js';
import { needed, type BuildContext, type Change, type Step } from './step.js';

function title(name: string): string {
  return `RDS proxy ${name}`;
}

/**
 * RDS's answers while it cannot use a just-created IAM role yet (IAM is eventually consistent),
 * as observed from RDS create calls: InvalidParameterValue "IAM role ARN value is invalid or does
 * not include the required permissions" (the Terraform AWS provider retries it for RDS instances)
 * and InvalidParameterCombination "IAM role provided is not valid, please check that the role
 * exists and has the correct policies". AWS documents no wording for CreateDBProxy itself, so
 * only these are retried; any other refusal (a bad subnet, a bad secret ARN) is a real error.
 */
const ROLE_NOT_YET_USABLE: readonly { code: string; message: RegExp }[] = [
  { code: 'InvalidParameterValue', message: /IAM role ARN value is invalid or does not include the required permissions/i },
  { code: 'InvalidParameterCombination', message: /IAM role provided is not valid/i },
];

const messageOf = (err: unknown) => (err instanceof Error ? err.message : '');

function isRoleNotYetUsable(err: unknown): boolean {
  return ROLE_NOT_YET_USABLE.some(({ code, message }) => isErrorNamed(err, code) && message.test(messageOf(err)));
}

/** A refusal that names the role but in no wording known for propagation: not retried, and said so. */
function isOtherRoleRefusal(err: unknown): boolean {
  return isErrorNamed(err, 'InvalidParameterValue', 'InvalidParameterCombination') && /\brole\b/i.test(messageOf(err));
}

/** A delete while the proxy is still being created or changed; RDS accepts it once that is done. */
function isProxyBusy(err: unknown): boolean {
  return isErrorNamed(err, 'InvalidDBProxyStateFault');
}

function toProxy(p: DBProxy): Proxy {
  const arn = p.DBProxyArn ?? '';
  return {
    name: p.DBProxyName ?? '',
    arn,
    // `arn:aws:rds:<region>:<account>:db-proxy:prx-…`: IAM's rds-db:connect ARNs use the prx- id.
    resourceId: arn.split(':').pop() ?? '',
    endpoint: p.Endpoint ?? '',
    status: p.Status ?? 'unknown',
    requireTls: p.RequireTLS ?? false,
    idleClientTimeoutSeconds: p.IdleClientTimeout,
    debugLogging: p.DebugLogging ?? false,
    auth: p.Auth ?? [],
    vpcId: p.VpcId,
    ...(p.VpcSubnetIds ? { subnetIds: p.VpcSubnetIds } : {}),
    defaultAuthScheme: p.DefaultAuthScheme,
  };
}

/** --auth iam: end-to-end IAM, the proxy logs in to the database with IAM too; secrets: with the secrets. */
function wantedScheme(ctx: BuildContext): string | undefined {
  if (ctx.settings.auth === undefined) return undefined;
  return ctx.settings.auth === 'iam' ? 'IAM_AUTH' : 'NONE';
}

/** The one auth entry `up` wants: clients sign in with IAM tokens; the proxy logs in with the secret. */
function wantedAuth(ctx: BuildContext, secretArn: string): UserAuthConfig {
  return {
    AuthScheme: 'SECRETS',
    SecretArn: secretArn,
    IAMAuth: 'REQUIRED',
    Description: `rdsproxy-setup ${ctx.config.stack}: master user secret`,
  };
}

function isWantedAuth(a: UserAuthConfigInfo, secretArn: string): boolean {
  return a.AuthScheme === 'SECRETS' && a.SecretArn === secretArn && a.IAMAuth === 'REQUIRED';
}

const onOff = (on: boolean) => (on ? 'on' : 'off');
const seconds = (s: number | undefined) => `${s ?? 'unset'} s`;

/** What differs from the wanted proxy, from the description find() already read. */
function proxyChanges(ctx: BuildContext, p: Proxy): Change[] {
  const { idleClientTimeoutSeconds, debugLogging } = ctx.settings;
  const secretArn = needed(ctx, 'secret').arn;
  const changes: Change[] = [];
  // IAM authentication needs TLS.
  if (!p.requireTls) changes.push({ field: 'RequireTLS', have: 'off', want: 'on' });
  if (p.idleClientTimeoutSeconds !== idleClientTimeoutSeconds) {
    changes.push({ field: 'IdleClientTimeout', have: seconds(p.idleClientTimeoutSeconds), want: seconds(idleClientTimeoutSeconds) });
  }
  if (p.debugLogging !== debugLogging) changes.push({ field: 'DebugLogging', have: onOff(p.debugLogging), want: onOff(debugLogging) });
  if (!p.auth.some((a) => isWantedAuth(a, secretArn))) {
    const ours = p.auth.find((a) => a.SecretArn === secretArn);
    changes.push({
      field: 'Auth',
      ref: secretArn,
      have: ours ? `${ours.AuthScheme ?? 'no scheme'} with IAMAuth ${ours.IAMAuth ?? 'unset'}` : 'no entry for the secret',
      want: 'SECRETS with IAMAuth REQUIRED',
    });
  }
  // Without --auth the proxy keeps its scheme: switching modes changes how every user logs in.
  const scheme = wantedScheme(ctx);
  if (scheme !== undefined && (p.defaultAuthScheme ?? 'NONE') !== scheme) {
    changes.push({ field: 'DefaultAuthScheme', have: p.defaultAuthScheme ?? 'NONE', want: scheme });
  }
  return changes;
}

/** The ModifyDBProxy members that apply one change. */
function modification(ctx: BuildContext, proxy: Proxy, change: Change): Partial<ModifyDBProxyCommandInput> {
  switch (change.field) {
    case 'RequireTLS':
      return { RequireTLS: true };
    case 'IdleClientTimeout':
      return { IdleClientTimeout: ctx.settings.idleClientTimeoutSeconds };
    case 'DebugLogging':
      return { DebugLogging: ctx.settings.debugLogging };
    case 'Auth':
      return { Auth: repairedAuth(ctx, proxy.auth, needed(ctx, 'secret').arn) };
    case 'DefaultAuthScheme':
      return { DefaultAuthScheme: change.want as ModifyDBProxyCommandInput['DefaultAuthScheme'] };
    default:
      throw new CliError(`Internal error: the proxy step cannot apply a change to ${change.field}.`, { code: 'StepOrder' });
  }
}

/** ModifyDBProxy replaces the whole auth list: keep other entries, put ours right. */
function repairedAuth(ctx: BuildContext, current: UserAuthConfigInfo[], secretArn: string): UserAuthConfig[] {
  return [...otherAuthEntries(current, secretArn), wantedAuth(ctx, secretArn)];
}

export const proxyStep: Step<'proxy'> = {
  id: 'proxy',
  title: 'RDS proxy',
  needs: ['proxy-sg', 'secret', 'role', 'network'],
  owned: true,
  plannedId: (ctx) => ctx.names.proxy,

  async find(ctx) {
    const name = ctx.names.proxy;
    const rds = await ctx.clients.rds();
    const proxy = await readProxy(rds, name);
    if (!proxy) return undefined;
    const tags = await aws(`reading the tags of ${title(name)}`, () =>
      rds.send(new ListTagsForResourceCommand({ ResourceName: proxy.DBProxyArn })),
    );
    if (!hasStackTag(tags.TagList, ctx.config.stack)) {
      throw new ForeignResourceError('RDS proxy', name, STACK_TAG_KEY, ctx.config.stack);
    }
    return { ...toProxy(proxy), runId: runIdOf(tags.TagList) };
  },

  async create(ctx) {
    const name = ctx.names.proxy;
    const role = needed(ctx, 'role');
    const input: CreateDBProxyCommandInput = {
      DBProxyName: name,
      EngineFamily: 'POSTGRESQL',
      Auth: [wantedAuth(ctx, needed(ctx, 'secret').arn)],
      RoleArn: role.arn,
      VpcSubnetIds: needed(ctx, 'network').subnetIds,
      VpcSecurityGroupIds: [needed(ctx, 'proxy-sg').id],
      RequireTLS: true,
      IdleClientTimeout: ctx.settings.idleClientTimeoutSeconds,
      DebugLogging: ctx.settings.debugLogging,
      ...(ctx.settings.auth === 'iam' ? { DefaultAuthScheme: 'IAM_AUTH' as const } : {}),
      Tags: createdTags(ctx.config.stack, ctx.runId),
    };
    const rds = await ctx.clients.rds();
    const started = Date.now();
    try {
      const out = await retryTransient(
        () => aws(`creating ${title(name)}`, () => rds.send(new CreateDBProxyCommand(input))),
        {
          ...ctx.timing.retry,
          isTransient: isRoleNotYetUsable,
          signal: ctx.signal,
          onRetry: () =>
            ctx.progress({ kind: 'retrying', what: title(name), because: `RDS cannot use the new IAM role ${role.name} until it has propagated` }),
        },
      );
      if (!out.DBProxy) throw new CliError(`creating ${title(name)}: RDS returned no proxy.`);
      return toProxy(out.DBProxy);
    } catch (err) {
      if (isOtherRoleRefusal(err) && !isRoleNotYetUsable(err)) {
        throw new CliError(messageOf(err), {
          hint:
            `RDS refused IAM role ${role.name}, and this was not retried: its wording is not one RDS is known to give while a new role propagates. ` +
            'If the role was created moments ago, run `up` again; otherwise check that it exists, trusts rds.amazonaws.com and may read the secret.',
          source: 'aws',
          code: 'RoleRefused',
          cause: err,
        });
      }
      if (!isRoleNotYetUsable(err)) throw err;
      throw new CliError(
        `RDS still could not use IAM role ${role.name} after ${formatElapsed(Date.now() - started)}: ${(err as Error).message}`,
        {
          hint: 'A new role usually propagates within a minute. Check that it exists and trusts rds.amazonaws.com, then run `up` again.',
          source: 'aws',
          code: 'RoleNotUsable',
          cause: err,
        },
      );
    }
  },

  drift: async (ctx, proxy) => proxyChanges(ctx, proxy),

  async converge(ctx, proxy, changes) {
    const input: ModifyDBProxyCommandInput = { DBProxyName: proxy.name };
    for (const change of changes) Object.assign(input, modification(ctx, proxy, change));
    const rds = await ctx.clients.rds();
    const out = await aws(`updating ${title(proxy.name)}`, () => rds.send(new ModifyDBProxyCommand(input)));
    return out.DBProxy ? toProxy(out.DBProxy) : { ...proxy, status: 'modifying' };
  },

  async wait(ctx, proxy) {
    return toProxy(await waitForProxyAvailable(ctx, proxy.name));
  },

  async destroy(ctx, proxy) {
    const rds = await ctx.clients.rds();
    const requestDelete = async () => {
      try {
        await aws(`deleting ${title(proxy.name)}`, () => rds.send(new DeleteDBProxyCommand({ DBProxyName: proxy.name })));
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
    };
    await retryTransient(requestDelete, {
      ...ctx.timing.wait,
      isTransient: isProxyBusy,
      signal: ctx.signal,
      onRetry: () => ctx.progress({ kind: 'retrying', what: `deleting ${title(proxy.name)}`, because: 'it is busy' }),
    });
    await waitForProxyDeleted(ctx, proxy.name);
  },

  manualDelete(ctx, proxy) {
    return `aws rds delete-db-proxy --db-proxy-name ${proxy.name} --region ${ctx.config.region}`;
  },

  summary(proxy) {
    return { id: proxy.name, arn: proxy.arn, state: proxy.status };
  },
};
