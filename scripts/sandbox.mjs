// The local AWS sandbox: moto's server (pinned in sandbox/requirements.txt, installed into
// .sandbox/venv on first use) with the project's additions (sandbox/server.py), started on a free
// loopback port. Used by the tests and the demo.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quietly } from './quietly.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.sandbox', 'venv');
const requirements = join(root, 'sandbox', 'requirements.txt');
const stamp = join(venv, '.requirements');
const python = join(venv, 'bin', 'python');
const server = join(root, 'sandbox', 'server.py');

/** Installs moto into the project's virtualenv unless the pinned requirements are already there. */
export function ensureSandboxInstalled(log = (line) => process.stderr.write(`${line}\n`)) {
  const wanted = readFileSync(requirements, 'utf8');
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
  log('Installing the local AWS sandbox (moto) into .sandbox/venv…');
  mkdirSync(dirname(venv), { recursive: true });
  quietly(process.env.PYTHON ?? 'python3', ['-m', 'venv', venv]);
  quietly(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', requirements]);
  writeFileSync(stamp, wanted);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(endpoint, child, timeoutMs = 30_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`the sandbox exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the sandbox did not answer on ${endpoint} within ${timeoutMs} ms`);
}

/**
 * Starts one sandbox on a free loopback port. `env` adds variables for the server (moto's own,
 * such as INITIAL_NO_AUTH_ACTION_COUNT, or a sandbox addition's).
 * Returns { endpoint, reset(), stop() }; reset() empties every service.
 */
export async function startSandbox({ env = {} } = {}) {
  ensureSandboxInstalled();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(python, [server, '--host', '127.0.0.1', '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'false', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  try {
    await waitUntilUp(endpoint, child);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${err.message}\n${stderr}`);
  }
  return {
    endpoint,
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`sandbox reset failed: ${res.status}`);
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Environment that points the CLI and the SDK at the sandbox with dummy credentials. */
export function sandboxEnv(endpoint) {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
