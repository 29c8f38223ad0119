import type { ConnectTarget } from './resolve-target.js';

/**
 * libpq's variables for the proxy (psql and most drivers read them). No PGPASSWORD: a token
 * lasts 15 minutes, so it is signed when connecting, never stored. PGSSLROOTCERT=system makes
 * libpq 16+ verify against the system trust store, where the proxy's ACM certificate chains to.
 */
export function connectionEnv(target: ConnectTarget): Record<string, string> {
  return {
    PGHOST: target.host,
    PGPORT: String(target.port),
    PGUSER: target.user,
    PGDATABASE: target.database,
    PGSSLMODE: 'verify-full',
    PGSSLROOTCERT: 'system',
  };
}

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/** `export NAME=value` lines a shell can eval, and how to get the token psql then asks for. */
export function envScript(target: ConnectTarget): string {
  const exports = Object.entries(connectionEnv(target)).map(([name, value]) => `export ${name}=${shellQuote(value)}`);
  const tokenCommand =
    `aws rds generate-db-auth-token --hostname ${target.host} --port ${target.port} ` +
    `--username ${target.user} --region ${target.region}`;
  return [
    ...exports,
    '# The password is an IAM token valid for 15 minutes; sign one right before connecting:',
    `# PGPASSWORD="$(${tokenCommand})" psql`,
  ].join('\n');
}
