/**
 * Who am I, where, on what server, and whether TLS is on. Behind a proxy, pg_stat_ssl describes
 * the proxy's own connection to the database (the client's TLS is verified by connect itself).
 */
export const DEFAULT_QUERY = `select current_user as "user",
       current_database() as database,
       version() as server_version,
       coalesce((select ssl from pg_stat_ssl where pid = pg_backend_pid()), false) as ssl`;
