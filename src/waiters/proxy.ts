import { DescribeDBProxiesCommand, type DBProxy, type RDSClient } from '@aws-sdk/client-rds';
import { aws, unlessNotFound } from '../aws/errors.js';
import type { ReadContext } from '../steps/step.js';
import { waitUntilAvailable, waitUntilGone, type FailedState, type StatusModel, type WaitContext } from './status-waiter.js';

export type ProxyWaitContext = WaitContext & Pick<ReadContext, 'config'>;

const PENDING = new Set(['creating', 'modifying', 'reactivating']);

/** The proxy by name, or undefined when there is none. */
export async function readProxy(rds: RDSClient, name: string): Promise<DBProxy | undefined> {
  const out = await unlessNotFound(() =>
    aws(`reading RDS proxy ${name}`, () => rds.send(new DescribeDBProxiesCommand({ DBProxyName: name }))),
  );
  return out?.DBProxies?.find((p) => p.DBProxyName === name);
}

/** What a state waiting will not fix means, and what to do about it. */
function failedState(status: string, name: string, stack: string): FailedState {
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

function proxyModel(ctx: ProxyWaitContext, name: string): StatusModel<DBProxy> {
  return {
    what: `RDS proxy ${name}`,
    read: async () => readProxy(await ctx.clients.rds(), name),
    status: (proxy) => proxy.Status ?? 'unknown',
    pendingAvailable: PENDING,
    failed: (status) => failedState(status, name, ctx.config.stack),
    pendingDeleted: 'any',
  };
}

/** Until the proxy is `available`; fails at once on states waiting will not fix. */
export function waitForProxyAvailable(ctx: ProxyWaitContext, name: string): Promise<DBProxy> {
  return waitUntilAvailable(ctx, proxyModel(ctx, name));
}

/** Until DescribeDBProxies no longer finds it. */
export function waitForProxyDeleted(ctx: ProxyWaitContext, name: string): Promise<void> {
  return waitUntilGone(ctx, proxyModel(ctx, name));
}
