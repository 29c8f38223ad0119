import { readFileSync } from 'node:fs';
import pg from 'pg';

/** A direct session on the test PostgreSQL over TLS (any password passes its LDAP check), to see what the CLI did. */
export interface TestDatabase {
  port: number;
  caFile: string;
  /** The name the server's certificate carries. */
  serverName: string;
  database: string;
}

export async function sqlAs<T = Record<string, unknown>>(db: TestDatabase, user: string, text: string): Promise<T[]> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: db.port,
    user,
    password: 'any-password-the-ldap-stand-in-accepts',
    database: db.database,
    ssl: { ca: readFileSync(db.caFile, 'utf8'), servername: db.serverName },
  });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The role as the database knows it: whether it exists, may log in, and is in rds_iam. */
export async function roleOf(db: TestDatabase, master: string, user: string) {
  const [row] = await sqlAs<{ rolcanlogin: boolean; in_rds_iam: boolean }>(
    db,
    master,
    `SELECT rolcanlogin, pg_has_role(oid, 'rds_iam', 'MEMBER') AS in_rds_iam FROM pg_roles WHERE rolname = '${user.replace(/'/g, "''")}'`,
  );
  return row;
}
