import { paginateDescribeDBProxyTargets, type DBProxyTarget } from '@aws-sdk/client-rds';
import { read, requiring } from '../read.js';
import type { Read } from '../snapshot.js';
import { proxyArn, proxyUnread } from './proxy.js';
import { allPages, reader } from './reader.js';

/** Every target row of the proxy, with its health. */
export const targetsReader = reader(['proxy'], async ({ clients, proxyName }, { proxy }): Promise<Read<DBProxyTarget[]>> => {
  if (!proxy.ok) return proxyUnread(proxy);
  return read(`reading the targets of RDS proxy ${proxyName}`, async () => {
    const pages = paginateDescribeDBProxyTargets({ client: await clients.rds() }, { DBProxyName: proxyName });
    return requiring('rds:DescribeDBProxyTargets', proxyArn(proxy.value), () => allPages(pages, (page) => page.Targets));
  });
});
