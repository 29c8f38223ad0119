import { afterAll, afterEach, beforeAll } from 'vitest';
import { UP_DEFAULTS } from '../../../src/config/defaults.js';
import { startLdapPasswordCatcher, type LdapPasswordCatcher } from '../../../scripts/ldap-password-catcher.mjs';
import { initPostgres, type PostgresData, type RunningPostgres, type ServerMode } from '../../../scripts/postgres.mjs';

export interface StandInDatabase {
  /** Takes each password the server is given (the IAM token), in order. */
  readonly ldap: LdapPasswordCatcher;
  /** Starts the server in this mode; the test's server is stopped after each test. */
  start(mode: ServerMode): Promise<RunningPostgres>;
}

/**
 * The real PostgreSQL that stands in for a stack's database behind its proxy, for a describe block:
 * made with the master user and database `up` gives the cluster, checking passwords through an LDAP
 * catcher (so an IAM token is accepted and recorded), one server at a time.
 */
export function useStandInDatabase(): StandInDatabase {
  let postgres: PostgresData | undefined;
  let ldap: LdapPasswordCatcher | undefined;
  let server: RunningPostgres | undefined;
  beforeAll(async () => {
    postgres = initPostgres({ user: UP_DEFAULTS.masterUser, database: UP_DEFAULTS.dbName });
    ldap = await startLdapPasswordCatcher();
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });
  afterAll(async () => {
    await ldap?.stop();
    postgres?.remove();
  });
  return {
    get ldap() {
      return ldap!;
    },
    async start(mode) {
      server = await postgres!.start(mode);
      return server;
    },
  };
}
