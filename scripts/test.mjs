// The README's test command (`npm test`): type-checks, builds the CLI the end-to-end tests
// spawn, installs the sandbox if needed, then runs every test layer with vitest.
import { execFileSync } from 'node:child_process';
import { ensureSandboxInstalled } from './sandbox.mjs';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
const npx = (...args) => run('npx', ['--no-install', ...args]);

try {
  npx('tsc', '-p', 'tsconfig.json', '--noEmit');
  npx('tsc', '-p', 'tsconfig.build.json');
  ensureSandboxInstalled();
  npx('vitest', 'run', ...process.argv.slice(2));
} catch (err) {
  process.exit(typeof err.status === 'number' ? err.status : 1);
}
