// The README's test command (`npm test`): installs what is missing (npm packages; Python's venv,
// openssl and PostgreSQL from Debian's archive when it may), type-checks, checks the architecture's
// layer rules (`npm run lint:layers`), builds the CLI the end-to-end tests spawn, installs the
// sandbox if needed, then runs every test layer.
import { ensureSandboxInstalled } from './sandbox.mjs';
import { build, ensureDependencies, npx } from './setup.mjs';
import { ensureSystemPackages } from './system-packages.mjs';

try {
  ensureDependencies();
  const { missing, install } = ensureSystemPackages(['venv', 'openssl', 'postgres']);
  if (missing.length > 0) {
    process.stderr.write(`The tests need ${missing.join(', ')}, and this user may not install them: run \`${install}\`, then \`npm test\` again.\n`);
    process.exit(1);
  }
  npx('tsc', '-p', 'tsconfig.json', '--noEmit');
  npx('depcruise', 'src', '--config', '.dependency-cruiser.mjs', '--output-type', 'err-long');
  build();
  ensureSandboxInstalled();
  npx('vitest', 'run', ...process.argv.slice(2));
} catch (err) {
  process.exit(typeof err.status === 'number' ? err.status : 1);
}
