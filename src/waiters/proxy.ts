import { DescribeDBProxiesCommand, type DBProxy, type RDSClient } from '@aws-sdk/client-rds';
import { aws, isNotFound } from '../aws/errors.js';
import type { StepContext } from '../steps/step.js';
import { formatElapsed, poll, type PollVerdict } from './poll.js';

export type ProxyWaitContext = Pick<StepContext, 'clients' | 'config' | 'signal' | 'timing' | 'progress'>;

const PENDING = new Set(['creating', 'modifying', 'reactivating']);

/** The proxy by name, or undefined when there is none. */
export async function readProxy(rds: RDSClient, name: string): Promise<DBProxy | undefined> {
  try {
    const out = await aws(`reading RDS proxy ${name}`, () => rds.send(new DescribeDBProxiesCommand({ DBProxyName: name })));
    return out.DBProxies?.find((p) => p.DBProxyName === name);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** What a state waiting will not fix means, and what to do about it. */
function failedState(status: string, name: string, stack: string): { reason: string; hint: string } {
  const doctor = `\`rdsproxy-setup doctor --name ${stack}\``;
  const recreate = `delete it (\`aws rds delete-db-proxy --db-proxy-name ${name}\`) and run \`up\` again: it re-creates only what is missing`;
  switch (status) {
    case 'incompatible-network':
      return {
        reason: 'RDS cannot use the subnets or security groups the proxy was given',
        hint: `A subnet or security group is gone, or the subnets have no free IP addresses left; ${doctor} (proxy.subnets) shows which. Fix that, then ${recreate}.`,
      };
    case 'insufficient-resource-limits':
      return {
        reason: 'the account reached an RDS Proxy quota',
        hint: `Proxies per Region or network interfaces in the VPC ran out: delete unused proxies or raise the quota in Service Quotas, then ${recreate}.`,
      };
    case 'deleting':
      return { reason: 'the proxy is being deleted', hint: 'Wait until it is gone, then run `up` again.' };
    case 'suspended':
    case 'suspending':
      return {
        reason: 'RDS suspended the proxy because its targets stayed unusable',
        hint: `It resumes once a target is usable again; ${doctor} shows why it is not.`,
      };
    default:
      return { reason: `RDS reports status "${status}"`, hint: `Run ${doctor} for details.` };
  }
}

function availableVerdict(proxy: DBProxy | undefined, name: string, stack: string): PollVerdict<DBProxy> {
  if (!proxy) return { state: 'failed', status: 'gone', reason: `RDS proxy ${name} no longer exists` };
  const status = proxy.Status ?? 'unknown';
  if (status === 'available') return { state: 'target', status, value: proxy };
  if (PENDING.has(status)) return { state: 'pending', status };
  return { state: 'failed', status, ...failedState(status, name, stack) };
}

/** Until the proxy is `available`; fails at once on states waiting will not fix. */
export async function waitForProxyAvailable(ctx: ProxyWaitContext, name: string): Promise<DBProxy> {
  const rds = await ctx.clients.rds();
  const what = `RDS proxy ${name}`;
  return poll({
    ...ctx.timing.wait,
    what,
    signal: ctx.signal,
    check: async () => availableVerdict(await readProxy(rds, name), name, ctx.config.stack),
    onPending: (status, elapsed) => ctx.progress(`waiting for ${what}: ${status} (${formatElapsed(elapsed)})`),
  });
}

/** Until DescribeDBProxies no longer finds it. */
export async function waitForProxyDeleted(ctx: ProxyWaitContext, name: string): Promise<void> {
  const rds = await ctx.clients.rds();
  const what = `RDS proxy ${name} to be deleted`;
  await poll<true>({
    ...ctx.timing.wait,
    what,
    signal: ctx.signal,
    check: async () => {
      const proxy = await readProxy(rds, name);
      return proxy ? { state: 'pending', status: proxy.Status ?? 'unknown' } : { state: 'target', status: 'deleted', value: true };
    },
    onPending: (status, elapsed) => ctx.progress(`waiting for ${what}: ${status} (${formatElapsed(elapsed)})`),
  });
}
