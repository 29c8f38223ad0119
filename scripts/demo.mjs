// The README's demo command (`npm run demo`): builds the CLI, starts the local AWS sandbox and
// walks a stack through its life: up --with-lambda → status → doctor → connect snippet →
// connect --from-lambda → teardown. The demo runs no PostgreSQL: the sandbox's proxy endpoint is
// a name nothing answers, so the function's session fails, and the demo shows that typed failure
// (the test suite runs the same path against a real PostgreSQL: test/e2e/up-with-lambda.test.ts).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { build, ensureDependencies, root } from './setup.mjs';

ensureDependencies();
build();
const { startSandbox, sandboxEnv } = await import('./sandbox.mjs');

const stack = 'demo';
const sandbox = await startSandbox();
const env = { ...process.env, ...sandboxEnv(sandbox.endpoint) };
const cli = join(root, 'bin', 'rdsproxy-setup.js');

function step(title, args) {
  process.stdout.write(`\n\x1b[1m$ rdsproxy-setup ${args.join(' ')}\x1b[0m   # ${title}\n\n`);
  return spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit', env }).status;
}

// doctor exits 1 when a check fails; the demo shows its report either way.
const walk = [
  ['create the whole stack, and its own Lambda function in the proxy\'s subnets', ['up', '--name', stack, '--with-lambda'], true],
  ['what exists, and the target health', ['status', '--name', stack], true],
  ['check every hop of the path', ['doctor', '--name', stack], false],
  ['the connection code for an application', ['connect', '--name', stack, '--print-snippet'], true],
  [
    "the query from inside the VPC, run by the stack's function (no database answers in the sandbox: a typed failure)",
    ['connect', '--name', stack, '--from-lambda'],
    false,
  ],
  ['remove it (final snapshot kept, secret recoverable)', ['teardown', '--name', stack, '--yes'], true],
];

let failed = false;
try {
  process.stdout.write(`Local AWS sandbox (moto) on ${sandbox.endpoint}: nothing here touches a real account.\n`);
  for (const [title, args, mustPass] of walk) {
    if (step(title, args) !== 0 && mustPass) {
      failed = true;
      break;
    }
  }
} finally {
  await sandbox.stop();
}
process.exitCode = failed ? 1 : 0;
