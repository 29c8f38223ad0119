import type { AuthMode } from '../config/up-config.js';
import { quoteIdent, quoteLiteral } from './sql-text.js';

/** Read-write: CRUD on the public schema; read-only: SELECT only. */
export type UserAccess = 'read-write' | 'read-only';

/**
 * The mark a role made by `user add` carries (COMMENT ON ROLE): whose it is and its access. A role
 * without it was not made by this tool and is never changed or dropped by it.
 */
export function userMark(stack: string, access: UserAccess): string {
  return `${markPrefix(stack)}access=${access}`;
}

export function markPrefix(stack: string): string {
  return `rdsproxy-setup stack=${stack} `;
}

export function accessOfMark(mark: string): UserAccess | undefined {
  const access = /access=(read-write|read-only)\b/.exec(mark)?.[1];
  return access as UserAccess | undefined;
}

/** Each role r as the database knows it: its name, its mark (if any) and whether it is in rds_iam. */
const ROLES = `
SELECT r.rolname AS name,
       shobj_description(r.oid, 'pg_authid') AS mark,
       EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
               WHERE m.member = r.oid AND g.rolname = 'rds_iam') AS in_rds_iam
FROM pg_roles r`;

/** One role, by name. */
export const FIND_ROLE = `${ROLES}
WHERE r.rolname = :name`;

/** The stack's users: roles whose mark names the stack. */
export const LIST_USERS = `${ROLES}
WHERE left(shobj_description(r.oid, 'pg_authid'), length(:prefix)) = :prefix
ORDER BY r.rolname`;

/** What a role owns in this database (and which databases it owns): DROP ROLE refuses while it owns anything. */
export const OWNED_OBJECTS = `
SELECT 'relation' AS kind, c.oid::regclass::text AS name
  FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
 WHERE r.rolname = :name AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
UNION ALL
SELECT 'schema', n.nspname FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner WHERE r.rolname = :name
UNION ALL
SELECT 'function', p.oid::regprocedure::text FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner WHERE r.rolname = :name
UNION ALL
SELECT 'database', d.datname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE r.rolname = :name
ORDER BY 1, 2
LIMIT 50`;

const TABLE_PRIVILEGES: Record<UserAccess, string> = {
  'read-write': 'SELECT, INSERT, UPDATE, DELETE',
  'read-only': 'SELECT',
};

export interface NewUser {
  stack: string;
  user: string;
  access: UserAccess;
  mode: AuthMode;
  database: string;
  /** secrets mode: the SCRAM verifier of the password in the user's secret (never the password). */
  passwordVerifier?: string;
}

/**
 * CREATE ROLE and its privileges, in order, for one transaction. Utility statements take no bind
 * parameters, so names are quoted as identifiers (and validated before any call) and the two
 * literals (the verifier, the mark) are quoted as literals.
 */
export function createUserStatements(u: NewUser): string[] {
  const role = quoteIdent(u.user);
  const login = u.mode === 'secrets' ? `LOGIN PASSWORD ${quoteLiteral(u.passwordVerifier ?? '')}` : 'LOGIN';
  const tables = TABLE_PRIVILEGES[u.access];
  return [
    `CREATE ROLE ${role} ${login}`,
    `COMMENT ON ROLE ${role} IS ${quoteLiteral(userMark(u.stack, u.access))}`,
    ...(u.mode === 'iam' ? [`GRANT rds_iam TO ${role}`] : []),
    `GRANT CONNECT ON DATABASE ${quoteIdent(u.database)} TO ${role}`,
    `GRANT USAGE ON SCHEMA public TO ${role}`,
    `GRANT ${tables} ON ALL TABLES IN SCHEMA public TO ${role}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ${tables} ON TABLES TO ${role}`,
    ...(u.access === 'read-write'
      ? [
          `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`,
          `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${role}`,
        ]
      : []),
  ];
}

/**
 * DROP ROLE and what must go first, for one transaction. REASSIGN OWNED and DROP OWNED need the
 * privileges of the role being dropped, which from PostgreSQL 16 on its creator (the master user,
 * not a superuser on Aurora) holds only with a membership: granted here, it goes with the role.
 * DROP OWNED then only revokes the role's privileges (default privileges included) once nothing it
 * owned is left: the caller refuses a role that owns objects unless they are reassigned.
 */
export function dropUserStatements(user: string, reassignTo?: string): string[] {
  const role = quoteIdent(user);
  return [
    `GRANT ${role} TO CURRENT_USER`,
    ...(reassignTo ? [`REASSIGN OWNED BY ${role} TO ${quoteIdent(reassignTo)}`] : []),
    `DROP OWNED BY ${role}`,
    `DROP ROLE ${role}`,
  ];
}
