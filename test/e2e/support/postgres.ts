import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { ServerCertificate } from './test-ca.js';

/** The role and database the test server is made with (the cluster's master user and database). */
export interface PostgresLogin {
  user: string;
  database: string;
}

/**
 * How the server is started: TLS enforced (plain connections rejected by pg_hba.conf) with the
 * given certificate and passwords checked by an LDAP server on ldapPort; or no TLS at all.
 */
export type ServerMode = { tls: ServerCertificate; ldapPort: number } | { tls: false };

export interface RunningPostgres {
  port: number;
  stop(): Promise<void>;
}

export interface PostgresData {
  start(mode: ServerMode): Promise<RunningPostgres>;
  remove(): void;
}

const BINARIES = ['initdb', 'pg_ctl', 'postgres'];

/** PATH, /usr/local/bin, then Debian's /usr/lib/postgresql/<version>/bin, newest first. */
function postgresBinDir(): string {
  const debian = '/usr/lib/postgresql';
  const versions = existsSync(debian)
    ? readdirSync(debian)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => join(debian, v, 'bin'))
    : [];
  const candidates = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/bin', ...versions];
  const found = candidates.find((dir) => dir && BINARIES.every((b) => existsSync(join(dir, b))));
  if (!found) {
    throw new Error(
      `PostgreSQL server binaries (${BINARIES.join(', ')}) not found on PATH, in /usr/local/bin or ` +
        `${debian}/<version>/bin: install them (apt-get install -y postgresql).`,
    );
  }
  return found;
}

/** postgres refuses to run as root; as root, run it as the unprivileged `postgres` user. */
interface RunAs {
  uid: number;
  gid: number;
  wrap(command: string, args: string[]): [string, string[]];
}

function runAs(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  let uid: number;
  try {
    uid = id('-u');
  } catch {
    throw new Error('Tests run as root, and postgres refuses root: create the user `postgres` (Debian\'s postgresql package does).');
  }
  return { uid, gid: id('-g'), wrap: (command, args) => ['runuser', ['-u', 'postgres', '--', command, ...args]] };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function hbaFor(mode: ServerMode): string {
  if (mode.tls === false) return 'host all all 127.0.0.1/32 trust\n';
  const ldap = `ldap ldapserver=127.0.0.1 ldapport=${mode.ldapPort} ldapprefix="cn=" ldapsuffix=",dc=rdsproxy-test"`;
  return `hostssl all all 127.0.0.1/32 ${ldap}\nhostnossl all all all reject\n`;
}

/**
 * initdb once into a temporary directory (role = login.user, database = login.database); each
 * start() runs a server on a free loopback port in the given mode, on the same data.
 */
export function initPostgres(login: PostgresLogin): PostgresData {
  const bin = postgresBinDir();
  const user = runAs();
  const base = mkdtempSync(join(tmpdir(), 'rdsproxy-pg-'));
  const data = join(base, 'data');
  const own = (path: string) => user && chownSync(path, user.uid, user.gid);
  own(base);
  const run = (binary: string, args: string[], input?: string) => {
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
