import { need, pass, fail, skip, type Check, type CheckContext, type Outcome } from './check.js';

const quoted = (user: string) => `"${user.replace(/"/g, '""')}"`;

/**
 * The user as the database knows it (through the Data API). With end-to-end IAM it must be in
 * rds_iam, or the database refuses the proxy's IAM login. With secrets it must not be: a member
 * of rds_iam can no longer log in with a password, and the proxy's login fails with "PAM
 * authentication failed for user" (the trap of granting rds_iam to a secrets-mode user).
 */
function userRdsIam(ctx: CheckContext): Outcome {
  const proxy = need(ctx.snapshot.proxy);
  const facts = ctx.snapshot.databaseUser;
  if (!facts) return skip('No database user given.', 'Pass --user <db-user> (the user your clients sign tokens for), or --lambda with PGUSER set.');
  const { user, exists, inRdsIam } = need(facts);
  const iam = proxy.DefaultAuthScheme === 'IAM_AUTH';
  if (!exists) {
    return fail(
      `Database user ${user} does not exist: the proxy cannot log in as it.`,
      `For a stack of rdsproxy-setup: rdsproxy-setup user add ${user}. Otherwise, as the master user: CREATE ROLE ${quoted(user)} LOGIN${iam ? `; GRANT rds_iam TO ${quoted(user)}` : ' PASSWORD \'<the password in its secret>\''};`,
    );
  }
  if (iam) {
    return inRdsIam
      ? pass(`Database user ${user} exists and is in rds_iam: the database takes the proxy's IAM login for it.`)
      : fail(
          `Database user ${user} is not in rds_iam: the database refuses the proxy's IAM login for it (DefaultAuthScheme IAM_AUTH).`,
          `As the master user: GRANT rds_iam TO ${quoted(user)};`,
        );
  }
  return inRdsIam
    ? fail(
        `Database user ${user} is in rds_iam, but the proxy logs in with its password (secrets mode): the database answers "PAM authentication failed for user ${user}".`,
        `As the master user: REVOKE rds_iam FROM ${quoted(user)}; or move the proxy to end-to-end IAM (rdsproxy-setup up --auth iam for a stack of this tool).`,
      )
    : pass(`Database user ${user} exists and is not in rds_iam: the proxy can log in with its password.`);
}

/** Beyond the tutorial: the database user behind the proxy's login. */
export const databaseUserChecks: Check[] = [
  { id: 'user.rds-iam', title: 'The database user is in rds_iam exactly when the proxy logs in with IAM', group: 'beyond', run: userRdsIam },
];
