import type { DBCluster, DBProxy } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { missing } from '../../../src/doctor/read.js';
import type { Snapshot } from '../../../src/doctor/snapshot.js';
import { ACCOUNT, check, healthySnapshot, proxyRole, USER, value } from './healthy-snapshot.js';

const RESOURCE_ID = 'cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CONNECT_ARN = `arn:aws:rds-db:us-east-1:${ACCOUNT}:dbuser:${RESOURCE_ID}/${USER}`;

/** The healthy proxy moved to end-to-end IAM: its role may connect as the user on the cluster's resource id. */
function iamSnapshot(): Snapshot {
  const s = healthySnapshot();
  value<DBProxy>(s.proxy).DefaultAuthScheme = 'IAM_AUTH';
  Object.assign(value<DBCluster>(s.cluster), { DbClusterResourceId: RESOURCE_ID, IAMDatabaseAuthenticationEnabled: true });
  s.role = { ok: true, value: proxyRole([{ Effect: 'Allow', Action: 'rds-db:connect', Resource: CONNECT_ARN }]) };
  s.databaseUser = { ok: true, value: { user: USER, exists: true, inRdsIam: true } };
  return s;
}

describe('doctor on a proxy with end-to-end IAM (DefaultAuthScheme IAM_AUTH)', () => {
  it('passes when the role may rds-db:connect on the cluster resource id, IAM auth is on and the user is in rds_iam', async () => {
    const s = iamSnapshot();

    for (const id of ['iam.role-db-connect', 'cluster.iam-auth', 'user.rds-iam', 'proxy.auth', 'client.user-matches'] as const) {
      expect((await check(id, s)).status, id).toBe('pass');
    }
  });

  it("fails iam.role-db-connect for a role that may connect only through the proxy's prx- id, naming the cluster's resource id", async () => {
    const s = iamSnapshot();
    s.role = { ok: true, value: proxyRole([{ Effect: 'Allow', Action: 'rds-db:connect', Resource: `arn:aws:rds-db:us-east-1:${ACCOUNT}:dbuser:prx-0123456789abcdef0/${USER}` }]) };

    const result = await check('iam.role-db-connect', s);

    expect(result.status).toBe('fail');
    expect(result.evidence).toContain(`may not rds-db:connect on ${CONNECT_ARN}`);
    expect(result.fix).toContain(`"Resource":"${CONNECT_ARN}"`);
  });

  it('fails cluster.iam-auth when the cluster has IAM database authentication off', async () => {
    const s = iamSnapshot();
    value<DBCluster>(s.cluster).IAMDatabaseAuthenticationEnabled = false;

    const result = await check('cluster.iam-auth', s);

    expect(result.status).toBe('fail');
    expect(result.fix).toBe('aws rds modify-db-cluster --db-cluster-identifier orders-db --enable-iam-database-authentication --apply-immediately');
  });

  it('fails user.rds-iam when the user is not in rds_iam, with the GRANT', async () => {
    const s = iamSnapshot();
    s.databaseUser = { ok: true, value: { user: USER, exists: true, inRdsIam: false } };

    const result = await check('user.rds-iam', s);

    expect(result.status).toBe('fail');
    expect(result.fix).toBe(`As the master user: GRANT rds_iam TO "${USER}";`);
  });
});

describe('doctor on a proxy that logs in with secrets', () => {
  it('passes iam.role-db-connect and cluster.iam-auth without asking for them, saying the proxy uses secrets', async () => {
    const s = healthySnapshot();
    value<DBCluster>(s.cluster).IAMDatabaseAuthenticationEnabled = false;

    expect(await check('iam.role-db-connect', s)).toMatchObject({ status: 'pass', evidence: expect.stringContaining('logs in to the database with secrets') });
    expect(await check('cluster.iam-auth', s)).toMatchObject({ status: 'pass' });
  });

  it('fails user.rds-iam for a user in rds_iam: the trap that breaks password logins', async () => {
    const s = healthySnapshot();
    s.databaseUser = { ok: true, value: { user: USER, exists: true, inRdsIam: true } };

    const result = await check('user.rds-iam', s);

    expect(result.status).toBe('fail');
    expect(result.evidence).toContain(`PAM authentication failed for user ${USER}`);
    expect(result.fix).toContain(`REVOKE rds_iam FROM "${USER}"`);
  });

  it('fails user.rds-iam for a user that does not exist', async () => {
    const s = healthySnapshot();
    s.databaseUser = { ok: true, value: { user: USER, exists: false, inRdsIam: false } };

    expect(await check('user.rds-iam', s)).toMatchObject({ status: 'fail', fix: expect.stringContaining(`rdsproxy-setup user add ${USER}`) });
  });

  it('skips user.rds-iam when the Data API is off, with the reason', async () => {
    const s = healthySnapshot();
    s.databaseUser = missing('the Data API (HTTP endpoint) of cluster orders-db is off');

    expect(await check('user.rds-iam', s)).toMatchObject({ status: 'skip', evidence: expect.stringContaining('Data API (HTTP endpoint) of cluster orders-db is off') });
  });
});
