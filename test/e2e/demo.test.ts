import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const DEMO_WALK = fileURLToPath(new URL('../../scripts/demo-walk.mjs', import.meta.url));

interface DemoRun {
  code: number | null;
  /** stdout and stderr as a terminal shows them, colours removed. */
  screen: string;
}

/** Runs the README demo's walk on the built CLI (npm run demo builds first, then runs the same). */
function runDemoWalk(): Promise<DemoRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [DEMO_WALK], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.on('data', (d) => (screen += d));
    child.stderr.on('data', (d) => (screen += d));
    child.on('close', (code) => resolve({ code, screen: screen.replace(/\x1b\[[0-9;]*m/g, '') }));
  });
}

describe("the README's demo", () => {
  let demo: DemoRun;
  beforeAll(async () => {
    demo = await runDemoWalk();
  }, 180_000);

  it('walks the stack through up --with-lambda, status, doctor, the snippet, connect --from-lambda and teardown, every step passing', () => {
    const commands = demo.screen.split('\n').filter((line) => line.startsWith('$ rdsproxy-setup ')).map((line) => line.split('   #')[0]);

    expect(demo.code, demo.screen).toBe(0);
    expect(commands).toEqual([
      '$ rdsproxy-setup up --name demo --with-lambda',
      '$ rdsproxy-setup status --name demo',
      '$ rdsproxy-setup doctor --name demo --lambda demo-client',
      '$ rdsproxy-setup connect --name demo --print-snippet',
      expect.stringMatching(/^\$ rdsproxy-setup connect --name demo --from-lambda --via 127\.0\.0\.1:\d+$/),
      '$ rdsproxy-setup teardown --name demo --yes',
    ]);
  });

  it("prints the query's row from the function, over TLS as the master user in the stack's database, with the three timings", () => {
    expect(demo.screen).toMatch(/^user\s+\| database \| server_version\s+\| ssl\s+\| server_time$/m);
    expect(demo.screen).toMatch(/^postgres \| app\s+\| PostgreSQL \d+.*\| true \| \d{4}-\d\d-\d\dT/m);
    expect(demo.screen).toMatch(/Measured inside Lambda function demo-client: sign [\d.]+ ms, connect [\d.]+ ms, query [\d.]+ ms/);
  });

  it("shows that the database was given an IAM token signed for the proxy's endpoint, and never the token", () => {
    expect(demo.screen).toMatch(/The stand-in took the function's IAM token \(not shown\), signed for demo-proxy\.[a-z0-9.-]+\.rds\.amazonaws\.com:5432/);
    expect(demo.screen).not.toMatch(/X-Amz-Signature|X-Amz-Credential|Action=connect/);
  });
});
