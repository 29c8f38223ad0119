// The README's demo command (`npm run demo`): builds the CLI, starts the local AWS sandbox and
// walks a stack through its life: up → status → doctor → connect snippet → teardown.
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
  ['create the whole stack', ['up', '--name', stack], true],
  ['what exists, and the target health', ['status', '--name', stack], true],
  ['check every hop of the path', ['doctor', '--name', stack], false],
  ['the connection code for an application', ['connect', '--name', stack, '--print-snippet'], true],
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
