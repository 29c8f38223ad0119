import { ExecuteStatementCommand } from '@aws-sdk/client-rds-data';
import { clientSettings } from '../client-settings.js';
import { missing, read, requiring } from '../read.js';
import type { DatabaseUserFacts, Read } from '../snapshot.js';
import { reader } from './reader.js';

/** Whether the role exists and is in rds_iam; the name is a bind parameter. */
const ROLE_FACTS = `
SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :name) AS role_exists,
       EXISTS (SELECT 1 FROM pg_auth_members m
                 JOIN pg_roles g ON g.oid = m.roleid
                 JOIN pg_roles r ON r.oid = m.member
                WHERE g.rolname = 'rds_iam' AND r.rolname = :name) AS in_rds_iam`;

/**
 * The database user clients sign tokens for (--user, else the Lambda function's), as the database
 * knows it, asked through the cluster's Data API with the master user's secret (the cluster's
 * managed one, or the proxy's secret for the master user). Only when the HTTP endpoint is on:
 * doctor never turns it on. Undefined when no user is given.
 */
export const databaseUserReader = reader(['cluster', 'secrets', 'lambda'], async ({ clients, options }, { cluster, secrets, lambda }): Promise<Read<DatabaseUserFacts> | undefined> => {
  const user = options.user ?? (lambda?.ok ? clientSettings(lambda.value.environment).user?.value : undefined);
  if (!user) return undefined;
  if (!cluster.ok) return cluster;
  const c = cluster.value;
  if (!c?.DBClusterArn) return missing('no Aurora cluster is registered with the proxy');
  if (!c.HttpEndpointEnabled) {
    return missing(
      `the Data API (HTTP endpoint) of cluster ${c.DBClusterIdentifier} is off, so the database cannot be asked about ${user} (turn it on with aws rds enable-http-endpoint --resource-arn ${c.DBClusterArn}, or rdsproxy-setup up --data-api for a stack of this tool)`,
    );
  }
  const masterSecret =
    c.MasterUserSecret?.SecretArn ??
    [...secrets.entries()].find(([, s]) => s.ok && s.value.value.ok && s.value.value.value.username === c.MasterUsername)?.[0];
  if (!masterSecret) {
    // A secret that could not be read may be the master's: its failure (a denial names the permission) says why.
    const unread = [...secrets.values()].map((s) => (s.ok ? s.value.value : s)).find((r) => !r.ok);
    if (unread && !unread.ok) return unread;
    return missing(`no secret of the master user ${c.MasterUsername} was found to sign in to the Data API with`);
  }
  return read(`asking the database about user ${user} through the Data API`, async () => {
    const data = await clients.rdsData();
    const out = await requiring('rds-data:ExecuteStatement', c.DBClusterArn!, () =>
      data.send(
        new ExecuteStatementCommand({
          resourceArn: c.DBClusterArn,
          secretArn: masterSecret,
          database: c.DatabaseName ?? 'postgres',
          sql: ROLE_FACTS,
          parameters: [{ name: 'name', value: { stringValue: user } }],
        }),
      ),
    );
    const [exists, inRdsIam] = out.records?.[0] ?? [];
    return { user, exists: exists?.booleanValue === true, inRdsIam: inRdsIam?.booleanValue === true };
  });
});
