// The database behind the demo's proxy. The sandbox models RDS Proxy's API but runs no proxy, and
// its endpoint is a name nothing answers; so the demo starts a real PostgreSQL on loopback that
// stands in for it, as the end-to-end tests do: TLS with a certificate for the proxy's endpoint
// (issued by a throwaway CA the sandbox's functions trust, as Lambda's trust Amazon's roots) and
// every password accepted through the LDAP catcher, which keeps the IAM token it was given.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLdapPasswordCatcher } from './ldap-password-catcher.mjs';
import { initPostgres } from './postgres.mjs';
import { createTestCa } from './test-ca.mjs';

/**
 * Makes the CA (the sandbox must be started trusting it) and the database files for login
 * ({ user, database }: the cluster's master user and database). start(proxyEndpoint) then runs
 * the server with a certificate for that name; stop() removes everything.
 */
export function prepareDemoDatabase(login) {
  const work = mkdtempSync(join(tmpdir(), 'rdsproxy-demo-'));
  const ca = createTestCa(work);
  const data = initPostgres(login);
  let ldap;
  let server;
  return {
    caFile: ca.certFile,
    async start(proxyEndpoint) {
      ldap = await startLdapPasswordCatcher();
      server = await data.start({ tls: ca.issue(proxyEndpoint), ldapPort: ldap.port });
      return server.port;
    },
    /** host:port the last password was signed for (an IAM token is a presigned URL), never the token. */
    lastTokenTarget() {
      const password = ldap?.binds.at(-1)?.password;
      if (!password) return undefined;
      try {
        return new URL(`https://${password}`).host;
      } catch {
        return undefined;
      }
    },
    async stop() {
      await server?.stop();
      await ldap?.stop();
      data.remove();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
