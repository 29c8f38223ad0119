import { DescribeDBProxiesCommand, type DBProxy } from '@aws-sdk/client-rds';
import { doctorResource } from '../denials.js';
import { absent, got, missing, read, requiring } from '../read.js';
import type { Read } from '../snapshot.js';
import { reader } from './reader.js';

/** By name: its ARN holds its prx- id, unknown until it is read, so a denial names the doctor's grant. */
export const proxyReader = reader([], async ({ clients, proxyName, region }): Promise<Read<DBProxy>> => {
  const doing = `reading RDS proxy ${proxyName}`;
  const action = 'rds:DescribeDBProxies';
  const found = await read(doing, async () =>
    (await requiring(action, doctorResource(action, region), async () => (await clients.rds()).send(new DescribeDBProxiesCommand({ DBProxyName: proxyName }))))
      .DBProxies?.[0],
  );
  if (!found.ok) return found;
  return found.value ? got(found.value) : absent(`${doing}: no RDS proxy named ${proxyName}`);
});

/** The proxy's ARN, which a denial of a read about it names. */
export const proxyArn = (proxy: DBProxy): string => proxy.DBProxyArn ?? proxy.DBProxyName ?? 'the proxy';

/** What a read that starts from the proxy holds when the proxy itself could not be read (a denial included). */
export function proxyUnread<T>(proxy: Extract<Read<DBProxy>, { ok: false }>): Read<T> {
  return missing(`the proxy could not be read: ${proxy.error}`, undefined, proxy.denied);
}
