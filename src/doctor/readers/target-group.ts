import {
  paginateDescribeDBProxyTargetGroups,
  paginateDescribeDBProxyTargets,
  type DBProxyTarget,
  type DBProxyTargetGroup,
} from '@aws-sdk/client-rds';
import { read } from '../read.js';
import type { Read } from '../snapshot.js';
import { proxyUnread } from './proxy.js';
import { allPages, reader } from './reader.js';

/** The proxy's default target group (or its first one). */
export const targetGroupReader = reader(['proxy'], async ({ clients, proxyName }, { proxy }): Promise<Read<DBProxyTargetGroup | undefined>> => {
  if (!proxy.ok) return proxyUnread(proxy);
  return read(`reading the target groups of RDS proxy ${proxyName}`, async () => {
    const pages = paginateDescribeDBProxyTargetGroups({ client: await clients.rds() }, { DBProxyName: proxyName });
    const groups = await allPages(pages, (page) => page.TargetGroups);
    return groups.find((g) => g.IsDefault) ?? groups[0];
  });
});

/** Every target row of the proxy, with its health. */
export const targetsReader = reader(['proxy'], async ({ clients, proxyName }, { proxy }): Promise<Read<DBProxyTarget[]>> => {
  if (!proxy.ok) return proxyUnread(proxy);
  return read(`reading the targets of RDS proxy ${proxyName}`, async () =>
    allPages(paginateDescribeDBProxyTargets({ client: await clients.rds() }, { DBProxyName: proxyName }), (page) => page.Targets),
  );
});
