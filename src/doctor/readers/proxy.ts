import { DescribeDBProxiesCommand, type DBProxy } from '@aws-sdk/client-rds';
import { absent, got, missing, read } from '../read.js';
import type { Read } from '../snapshot.js';
import { reader } from './reader.js';

export const proxyReader = reader([], async ({ clients, proxyName }): Promise<Read<DBProxy>> => {
  const doing = `reading RDS proxy ${proxyName}`;
  const found = await read(doing, async () =>
    (await (await clients.rds()).send(new DescribeDBProxiesCommand({ DBProxyName: proxyName }))).DBProxies?.[0],
  );
  if (!found.ok) return found;
  return found.value ? got(found.value) : absent(`${doing}: no RDS proxy named ${proxyName}`);
});

/** What a read that starts from the proxy holds when the proxy itself could not be read. */
export function proxyUnread<T>(proxy: Extract<Read<DBProxy>, { ok: false }>): Read<T> {
  return missing(`the proxy could not be read: ${proxy.error}`);
}
