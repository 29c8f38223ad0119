// How long `doctor` takes on a healthy stack in the sandbox, and how many AWS calls it makes (the
// `aws <service>.<Operation>` lines --verbose logs on stderr). Run with `npm run bench:doctor`.
import { afterAll, beforeAll, bench, expect } from 'vitest';
// @ts-expect-error plain ES module shared with the demo script, no type declarations
import { sandboxEnv, startSandbox } from '../../scripts/sandbox.mjs';
import { runCli } from '../e2e/support/cli.js';
import { measuredRuns, spread } from './measure.js';

const STACK = 'bench';
const AWS_CALL = /^\[[^\]]*\] aws [a-z0-9-]+\.[A-Z][A-Za-z0-9]* /;

let sandbox: { endpoint: string; stop(): Promise<void> } | undefined;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox();
  env = sandboxEnv(sandbox!.endpoint) as Record<string, string>;
  const up = await runCli(['up', '--name', STACK, '--yes'], env);
  expect(up.code, up.stderr).toBe(0);
});

afterAll(async () => {
  await sandbox?.stop();
});

interface DoctorRun {
  wallMs: number;
  awsCalls: number;
}

async function runDoctor(): Promise<DoctorRun> {
  const started = performance.now();
  const result = await runCli(['doctor', '--name', STACK, '--verbose'], env);
  const wallMs = performance.now() - started;
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  return { wallMs, awsCalls: result.stderr.split('\n').filter((line) => AWS_CALL.test(line)).length };
}

function summary(runs: DoctorRun[]): string {
  const calls = [...new Set(runs.map((r) => r.awsCalls))].sort((a, b) => a - b).join(' or ');
  return `wall time ${spread(runs.map((r) => r.wallMs))}; ${calls} AWS calls per run`;
}

const runs: DoctorRun[] = [];

bench(
  `doctor --name ${STACK} --verbose on a healthy stack`,
  async () => {
    runs.push(await runDoctor());
  },
  measuredRuns(
    () => (runs.length = 0),
    () => `doctor: ${summary(runs)}`,
  ),
);
