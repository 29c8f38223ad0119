// A real PostgreSQL on loopback, made with initdb in a temporary directory: the database that
// stands in behind the sandbox's proxy (TLS with a certificate for the proxy's endpoint, passwords
// checked by the LDAP catcher) or the plain server of the tests. Shared by the demo and the
// end-to-end tests (types: postgres.d.mts).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const BINARIES = ['initdb', 'pg_ctl', 'postgres'];
const DEBIAN = '/usr/lib/postgresql';

/**
 * The directory holding PostgreSQL's server binaries, or undefined: PATH, /usr/local/bin, then
 * Debian's /usr/lib/postgresql/<version>/bin, newest first.
 */
export function findPostgresBinDir() {
  const versions = existsSync(DEBIAN)
    ? readdirSync(DEBIAN)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => join(DEBIAN, v, 'bin'))
    : [];
  const candidates = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/bin', ...versions];
  return candidates.find((dir) => dir && BINARIES.every((b) => existsSync(join(dir, b))));
}

function postgresBinDir() {
  const found = findPostgresBinDir();
  if (!found) {
    throw new Error(
      `PostgreSQL server binaries (${BINARIES.join(', ')}) not found on PATH, in /usr/local/bin or ` +
        `${DEBIAN}/<version>/bin: install them (apt-get install -y postgresql).`,
    );
  }
  return found;
}

/**
 * postgres refuses to run as root; as root, run it as the unprivileged `postgres` user:
 * { uid, gid, wrap(command, args) → [command, args] }.
 */
function runAs() {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  let uid;
  try {
    uid = id('-u');
  } catch {
    throw new Error('Tests run as root, and postgres refuses root: create the user `postgres` (Debian\'s postgresql package does).');
  }
  return { uid, gid: id('-g'), wrap: (command, args) => ['runuser', ['-u', 'postgres', '--', command, ...args]] };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(address.port));
    });
  });
}

function hbaFor(mode) {
  if (mode.tls === false) return 'host all all 127.0.0.1/32 trust\n';
  const ldap = `ldap ldapserver=127.0.0.1 ldapport=${mode.ldapPort} ldapprefix="cn=" ldapsuffix=",dc=rdsproxy-test"`;
  return `hostssl all all 127.0.0.1/32 ${ldap}\nhostnossl all all all reject\n`;
}

/**
 * initdb once into a temporary directory (role = login.user, database = login.database); each
 * start() runs a server on a free loopback port in the given mode, on the same data.
 */
export function initPostgres(login) {
  const bin = postgresBinDir();
  const user = runAs();
  const base = mkdtempSync(join(tmpdir(), 'rdsproxy-pg-'));
  const data = join(base, 'data');
  const own = (path) => user && chownSync(path, user.uid, user.gid);
  own(base);
  const run = (binary, args, input) => {
    const [command, commandArgs] = user ? user.wrap(join(bin, binary), args) : [join(bin, binary), args];
    const result = spawnSync(command, commandArgs, { cwd: base, input, encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`${binary} ${args.join(' ')} failed (${result.status}):\n${result.stderr}${result.stdout}`);
    }
  };

  run('initdb', ['-D', data, '-U', login.user, '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
  run('postgres', ['--single', '-D', data, '-c', 'fsync=off', 'postgres'], `CREATE DATABASE "${login.database}";\n`);

  let starts = 0;
  return {
    async start(mode) {
      starts += 1;
      const port = await freePort();
      const hba = join(base, `pg_hba-${starts}.conf`);
      writeFileSync(hba, hbaFor(mode));
      own(hba);
      const settings = [
        `port=${port}`,
        "listen_addresses='127.0.0.1'",
        `unix_socket_directories='${base}'`,
        `hba_file='${hba}'`,
        'fsync=off',
      ];
      if (mode.tls !== false) {
        const cert = join(base, `server-${starts}.crt`);
        const key = join(base, `server-${starts}.key`);
        copyFileSync(mode.tls.certFile, cert);
        copyFileSync(mode.tls.keyFile, key);
        chmodSync(key, 0o600);
        for (const file of [cert, key]) own(file);
        settings.push('ssl=on', `ssl_cert_file='${cert}'`, `ssl_key_file='${key}'`);
      } else {
        settings.push('ssl=off');
      }
      const log = join(base, `server-${starts}.log`);
      const options = settings.map((s) => `-c ${s}`).join(' ');
      run('pg_ctl', ['start', '-D', data, '-w', '-t', '30', '-l', log, '-o', options]);
      return {
        port,
        stop: async () => run('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w']),
      };
    },
    remove() {
      rmSync(base, { recursive: true, force: true });
    },
  };
}
