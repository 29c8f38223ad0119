import type { ConnectTarget } from './resolve-target.js';

/**
 * TypeScript an application can paste: the signer and pg with TLS verified against the system
 * trust store, real values filled in. The password is a function, so a pool signs a fresh token
 * for every new connection instead of reusing an expired one.
 */
export function connectionSnippet(target: ConnectTarget): string {
  const q = (value: string) => JSON.stringify(value);
  return `import { Signer } from '@aws-sdk/rds-signer';
import pg from 'pg';

const signer = new Signer({
  hostname: ${q(target.host)},
  port: ${target.port},
  username: ${q(target.user)},
  region: ${q(target.region)},
});

export const pool = new pg.Pool({
  host: ${q(target.host)},
  port: ${target.port},
  user: ${q(target.user)},
  database: ${q(target.database)},
  // A token is valid for 15 minutes and only for opening a connection, so sign one per connection.
  password: () => signer.getAuthToken(),
  ssl: { rejectUnauthorized: true },
});
`;
}
