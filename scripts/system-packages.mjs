// The machine's own programs the two quick-start commands need beside npm's packages: Python's venv
// (the AWS sandbox's virtualenv), openssl and PostgreSQL's server binaries (the database that
// stands in behind the sandbox's proxy, for the tests and the demo's query). A missing one is
// installed from Debian's archive when this user may (root, or sudo without a password);
// otherwise the caller is told what is missing and the command that installs it.
import { spawnSync } from 'node:child_process';
import { findPostgresBinDir } from './postgres.mjs';
import { quietly } from './quietly.mjs';

const succeeds = (command, args) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;

/** Each need: what it is for the user, whether the machine has it, and its Debian package. */
const SYSTEM_NEEDS = {
  venv: { what: "Python's venv", present: () => succeeds('python3', ['-c', 'import venv, ensurepip']), debian: 'python3-venv' },
  openssl: { what: 'openssl', present: () => succeeds('openssl', ['version']), debian: 'openssl' },
  postgres: { what: "PostgreSQL's server binaries", present: () => findPostgresBinDir() !== undefined, debian: 'postgresql' },
};

/** The command prefix that runs apt-get as root here, or undefined when this user may not. */
function rootPrefix() {
  if (!succeeds('apt-get', ['--version'])) return undefined;
  if (process.getuid?.() === 0) return [];
  return succeeds('sudo', ['-n', 'true']) ? ['sudo', '-n'] : undefined;
}

const THIS_MACHINE = { has: (name) => SYSTEM_NEEDS[name].present(), rootPrefix, run: quietly };

/**
 * Makes sure every named need ('venv', 'openssl', 'postgres') is on the machine, installing the
 * missing ones when it can. Returns what is still missing (empty when all is there) and the
 * command that installs it. `machine` stands in for this one in tests.
 */
export function ensureSystemPackages(names, { log = (line) => process.stderr.write(`${line}\n`), machine = THIS_MACHINE } = {}) {
  const missing = () => names.filter((name) => !machine.has(name));
  const before = missing();
  if (before.length === 0) return { missing: [] };
  const packages = before.map((name) => SYSTEM_NEEDS[name].debian);
  const root = machine.rootPrefix();
  if (root) {
    log(`Installing ${before.map((name) => SYSTEM_NEEDS[name].what).join(', ')} from Debian's archive (apt-get install ${packages.join(' ')})…`);
    const [command, ...prefix] = [...root, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'];
    const aptGet = (args) => machine.run(command, [...prefix, ...args]);
    aptGet(['update', '-qq']);
    aptGet(['install', '-y', '-qq', '--no-install-recommends', ...packages]);
  }
  const after = missing();
  if (after.length === 0) return { missing: [] };
  return {
    missing: after.map((name) => SYSTEM_NEEDS[name].what),
    install: `sudo apt-get install -y ${after.map((name) => SYSTEM_NEEDS[name].debian).join(' ')}`,
  };
}
