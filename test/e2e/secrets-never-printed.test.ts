import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeDBClustersCommand } from '@aws-sdk/client-rds';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { UP_DEFAULTS } from '../../src/config/defaults.js';
import { runCli, type CliResult } from './support/cli.js';
import { registerDataApiPostgres } from './support/data-api-postgres.js';
import { startLdapPasswordCatcher } from '../../scripts/ldap-password-catcher.mjs';
import { initPostgres } from '../../scripts/postgres.mjs';
import { useSandbox } from './support/sandbox.js';
import { stackReads } from './support/stack-reads.js';
import { createTestCa } from '../../scripts/test-ca.mjs';

describe('secrets in output', () => {
  const sandbox = useSandbox();

  it('never show the database password or a request signature, in --verbose or --json, human or not', async () => {
    const cli = (command: string, ...flags: string[]) => runCli([command, '--name', 'quiet', ...flags], sandbox.env);
    const runs: CliResult[] = [];
    runs.push(await cli('up', '--verbose'));
    runs.push(await cli('up', '--verbose', '--json'));
    runs.push(await cli('status', '--verbose'));
    runs.push(await cli('status', '--verbose', '--json'));
    const { SecretString } = await stackReads(sandbox)
      .secrets()
      .send(new GetSecretValueCommand({ SecretId: 'rdsproxy-setup/quiet/master' }));
    const password = JSON.parse(SecretString!).password as string;
    runs.push(await cli('teardown', '--verbose', '--json', '--yes'));

    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
    expect(password.length).toBeGreaterThanOrEqual(32);
    const everything = runs.map((r) => r.stdout + r.stderr).join('\n');
    expect(everything).toContain('aws secretsmanager.CreateSecret');
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(SecretString!);
    expect(everything).not.toMatch(/X-Amz-Signature/i);
  });

  it("never show a database user's password, nor its SCRAM verifier, from user add, list and remove, in --verbose or --json", async () => {
    const work = mkdtempSync(join(tmpdir(), 'rdsproxy-quiet-users-'));
    const postgres = initPostgres({ user: UP_DEFAULTS.masterUser, database: UP_DEFAULTS.dbName });
    const ldap = await startLdapPasswordCatcher();
    const ca = createTestCa(work);
    const cli = (...args: string[]) => runCli([...args, '--name', 'quiet-users'], sandbox.env);
    try {
      expect((await cli('up')).code).toBe(0);
      const server = await postgres.start({ tls: ca.issue('cluster.quiet.test'), ldapPort: ldap.port });
      try {
        const { DBClusters } = await stackReads(sandbox).rds().send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'quiet-users-cluster' }));
        await registerDataApiPostgres(sandbox, DBClusters![0]!.DBClusterArn!, { port: server.port, caFile: ca.certFile });
        const runs: CliResult[] = [];
        runs.push(await cli('user', 'add', 'app_quiet', '--verbose'));
        runs.push(await cli('user', 'add', 'app_quiet_json', '--verbose', '--json'));
        const { SecretString } = await stackReads(sandbox)
          .secrets()
          .send(new GetSecretValueCommand({ SecretId: 'rdsproxy-setup/quiet-users/users/app_quiet' }));
        const { SecretString: jsonUserSecret } = await stackReads(sandbox)
          .secrets()
          .send(new GetSecretValueCommand({ SecretId: 'rdsproxy-setup/quiet-users/users/app_quiet_json' }));
        runs.push(await cli('user', 'list', '--verbose'));
        runs.push(await cli('user', 'list', '--verbose', '--json'));
        runs.push(await cli('user', 'remove', 'app_quiet', '--verbose'));
        runs.push(await cli('user', 'remove', 'app_quiet_json', '--verbose', '--json', '--close-data-api'));

        expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0]);
        const passwords = [SecretString!, jsonUserSecret!].map((s) => JSON.parse(s).password as string);
        const everything = runs.map((r) => r.stdout + r.stderr).join('\n');
        expect(everything).toContain('aws rds-data.ExecuteStatement');
        expect(everything).toContain("PASSWORD '<redacted>'");
        for (const password of passwords) {
          expect(password.length).toBeGreaterThanOrEqual(32);
          expect(everything).not.toContain(password);
        }
        expect(everything).not.toContain(SecretString!);
        expect(everything).not.toMatch(/SCRAM-SHA-256\$/);
        expect(everything).not.toMatch(/X-Amz-Signature/i);
      } finally {
        await server.stop();
      }
    } finally {
      await ldap.stop();
      postgres.remove();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
