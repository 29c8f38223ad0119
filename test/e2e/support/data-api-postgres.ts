import type { Sandbox } from './sandbox.js';

/** How the sandbox's Data API reaches the test PostgreSQL: TLS verified against caFile, or no TLS. */
export interface DataApiPostgres {
  port: number;
  host?: string;
  caFile?: string;
}

/**
 * Makes the sandbox run the Data API's SQL for the cluster on this PostgreSQL
 * (sandbox/additions/rds_data_postgres.py). A sandbox reset forgets it.
 */
export async function registerDataApiPostgres(sandbox: Sandbox, clusterArn: string, server: DataApiPostgres): Promise<void> {
  const res = await fetch(`${sandbox.endpoint}/moto-api/static/rds-data/postgres`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceArn: clusterArn,
      host: server.host ?? '127.0.0.1',
      port: server.port,
      tls: server.caFile ? { caFile: server.caFile } : false,
    }),
  });
  if (res.status !== 201) throw new Error(`registering PostgreSQL for ${clusterArn} failed: ${res.status}`);
}
