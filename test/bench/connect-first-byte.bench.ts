// How soon `connect` reaches the server: from spawning the process to the first byte the server's
// tunnel (--via) receives. Run with `npm run bench:connect`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, bench, expect } from 'vitest';
// @ts-expect-error plain ES module shared with the demo script, no type declarations
import { sandboxEnv, startSandbox } from '../../scripts/sandbox.mjs';
import { startCli } from '../e2e/support/cli.js';
import { startLdapPasswordCatcher, type LdapPasswordCatcher } from '../../scripts/ldap-password-catcher.mjs';
import { initPostgres, type PostgresData, type RunningPostgres } from '../../scripts/postgres.mjs';
import { createProxyWithCluster } from '../e2e/support/proxy-fixture.js';
import type { Sandbox } from '../e2e/support/sandbox.js';
import { startTcpRelay } from '../e2e/support/tcp-relay.js';
import { createTestCa } from '../../scripts/test-ca.mjs';
import { measuredRuns, spread } from './measure.js';

const FIXTURE = { proxyName: 'orders-proxy', clusterId: 'orders-db', masterUser: 'appadmin', databaseName: 'orders' };

let sandbox: { endpoint: string; stop(): Promise<void> } | undefined;
let work: string | undefined;
let postgres: PostgresData | undefined;
let ldap: LdapPasswordCatcher | undefined;
let server: RunningPostgres | undefined;
let cliEnv: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox();
  const env = sandboxEnv(sandbox!.endpoint) as Record<string, string>;
  const target: Pick<Sandbox, 'clientConfig'> = {
    clientConfig: {
      region: env.AWS_REGION!,
      endpoint: sandbox!.endpoint,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
    },
  };
  const endpoint = await createProxyWithCluster(target as Sandbox, FIXTURE);

  work = mkdtempSync(join(tmpdir(), 'rdsproxy-bench-connect-'));
  const ca = createTestCa(work);
  postgres = initPostgres({ user: FIXTURE.masterUser, database: FIXTURE.databaseName });
  ldap = await startLdapPasswordCatcher();
  server = await postgres.start({ tls: ca.issue(endpoint), ldapPort: ldap.port });
  cliEnv = { ...env, NODE_EXTRA_CA_CERTS: ca.certFile };
});

afterAll(async () => {
  await server?.stop();
  await ldap?.stop();
  postgres?.remove();
  if (work) rmSync(work, { recursive: true, force: true });
  await sandbox?.stop();
});

/** One `connect` through a fresh relay to the server: ms from spawn to the relay's first byte. */
async function timeFirstByte(): Promise<number> {
  const relay = await startTcpRelay(server!.port);
  try {
    const started = Date.now();
    const result = await startCli(
      ['connect', '--proxy', FIXTURE.proxyName, '--via', `127.0.0.1:${relay.port}`],
      cliEnv,
    ).done;
    expect(result.code, result.stderr).toBe(0);
    const firstByteAt = relay.firstByteAt();
    expect(firstByteAt, 'the relay never received a byte').toBeDefined();
    return firstByteAt! - started;
  } finally {
    await relay.stop();
  }
}

const firstByteMs: number[] = [];

bench(
  'connect --proxy --via: process start to first byte sent to the server',
  async () => {
    firstByteMs.push(await timeFirstByte());
  },
  measuredRuns(
    () => (firstByteMs.length = 0),
    () => `connect first byte: ${spread(firstByteMs)}`,
  ),
);
