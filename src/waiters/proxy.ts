import { DescribeDBProxiesCommand, type DBProxy, type RDSClient } from '@aws-sdk/client-rds';
import { aws, unlessNotFound } from '../aws/errors.js';
import { waitUntilAvailable, waitUntilGone, type FailedState, type StatusModel } from './status-waiter.js';
import type { WaitContext } from './wait-context.js';

const PENDING = new Set(['creating', 'modifying', 'reactivating']);

/** The proxy by name, or undefined when there is none. */
export async function readProxy(rds: RDSClient, name: string): Promise<DBProxy | undefined> {
  const out = await unlessNotFound(() =>
    aws(`reading RDS proxy ${name}`, () => rds.send(new DescribeDBProxiesCommand({ DBProxyName: name }))),
  );
  return out?.DBProxies?.find((p) => p.DBProxyName === name);
}

/** What a state waiting will not fix means, and what to do about it. */
function failedState(status: string, name: string): FailedState {
  const recreate = `delete it (\`aws rds delete-db-proxy --db-proxy-name ${name}\`) and run \`up\` again: it re-creates only what is missing`;
  switch (status) {
    case 'incompatible-network':
      return {
        explanation: 'RDS cannot use the subnets or security groups the proxy was given',
        hint: `A subnet or security group is gone, or the subnets have no free IP addresses left. Fix that, then ${recreate}.`,
      };
    case 'insufficient-resource-limits':
      return {
        explanation: 'the account reached an RDS Proxy quota',
        hint: `Proxies per Region or network interfaces in the VPC ran out: delete unused proxies or raise the quota in Service Quotas, then ${recreate}.`,
      };
    case 'deleting':
      return { explanation: 'the proxy is being deleted', hint: 'Wait until it is gone, then run `up` again.' };
    case 'suspended':
    case 'suspending':
      return {
        explanation: 'RDS suspended the proxy because its targets stayed unusable',
        hint: 'It resumes once a target is usable again.',
      };
    default:
      return { explanation: `RDS reports status "${status}"` };
  }
}

function proxyModel(ctx: WaitContext, name: string): StatusModel<DBProxy> {
  return {
    resource: { kind: 'proxy', id: name },
    what: `RDS proxy ${name}`,
    read: async () => readProxy(await ctx.clients.rds(), name),
    status: (proxy) => proxy.Status ?? 'unknown',
    pendingAvailable: PENDING,
    failed: (status) => failedState(status, name),
    pendingDeleted: 'any',
  };
}

/** Until the proxy is `available`; fails at once on states waiting will not fix. */
export function waitForProxyAvailable(ctx: WaitContext, name: string): Promise<DBProxy> {
  return waitUntilAvailable(ctx, proxyModel(ctx, name));
}

/** Until DescribeDBProxies no longer finds it. */
export function waitForProxyDeleted(ctx: WaitContext, name: string): Promise<void> {
  return waitUntilGone(ctx, proxyModel(ctx, name));
}
