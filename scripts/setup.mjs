// Shared by the two quick-start commands: on a fresh clone, install the npm packages from the
// lockfile, then build the CLI the demo and the end-to-end tests spawn, and the function it deploys.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit', cwd: root });

/** npm writes node_modules/.package-lock.json on install: older than the lockfile means a stale install. */
function installedFromLockfile() {
  const installed = join(root, 'node_modules', '.package-lock.json');
  return existsSync(installed) && statSync(installed).mtimeMs >= statSync(join(root, 'package-lock.json')).mtimeMs;
}

export function ensureDependencies() {
  if (installedFromLockfile()) return;
  process.stderr.write('Installing npm packages from the lockfile (npm ci)…\n');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

export function npx(...args) {
  run('npx', ['--no-install', ...args]);
}

export function build() {
  npx('tsc', '-p', 'tsconfig.build.json');
  run(process.execPath, ['scripts/build-lambda.mjs']);
}
