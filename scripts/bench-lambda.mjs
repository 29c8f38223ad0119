// The local cold start of the stack's client function: the shipped zip (dist/lambda/client.zip)
// unzipped, then in fresh Node processes, median of [runs]: the process with the handler loaded
// against a bare `node -e 0`, the handler module's own load time, and a first invocation that
// signs a token and is refused on a closed loopback port (no network needed).
// Usage: npm run bench:lambda [-- runs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { BUNDLE_FILE, CLIENT_ZIP } from './build-lambda.mjs';

const runs = Number(process.argv[2] ?? 21);

const closedPort = await new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

const task = mkdtempSync(join(tmpdir(), 'rdsproxy-bench-lambda-'));
for (const [name, bytes] of Object.entries(unzipSync(readFileSync(CLIENT_ZIP)))) writeFileSync(join(task, name), bytes);

const probe = `
const t0 = process.hrtime.bigint();
const { handler } = require(${JSON.stringify(join(task, BUNDLE_FILE))});
const t1 = process.hrtime.bigint();
handler(
  { host: 'bench.proxy-abc.us-east-1.rds.amazonaws.com', user: 'bench', dial: { address: '127.0.0.1', port: ${closedPort} } },
  { getRemainingTimeInMillis: () => 10000 },
).then((r) => {
  const t2 = process.hrtime.bigint();
  if (r.ok || r.error.kind !== 'ConnectRefused') throw new Error('unexpected answer: ' + JSON.stringify(r));
  console.log(JSON.stringify({ loadMs: Number(t1 - t0) / 1e6, invokeMs: Number(t2 - t1) / 1e6, signMs: r.timings.signMs }));
});`;
const env = { PATH: process.env.PATH, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench' };

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function wall(args) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { env, cwd: task, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`node ${args[0]} … exited ${run.status}: ${run.stderr}`);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, stdout: run.stdout };
}

try {
  const bare = median(Array.from({ length: runs }, () => wall(['-e', '0']).ms));
  const samples = Array.from({ length: runs }, () => wall(['-e', probe]));
  const inside = samples.map((s) => JSON.parse(s.stdout));
  const size = readFileSync(CLIENT_ZIP).length;
  console.log(`runs: ${runs}, node ${process.version}, ${BUNDLE_FILE} from ${(size / 1024).toFixed(1)} KB zipped`);
  console.log(`node -e 0:                              ${bare.toFixed(1)} ms (median wall time)`);
  console.log(`node, handler loaded, one invocation:   ${median(samples.map((s) => s.ms)).toFixed(1)} ms (median wall time)`);
  console.log(`loading the handler module:             ${median(inside.map((s) => s.loadMs)).toFixed(1)} ms (median)`);
  console.log(`first invocation (sign, refused):       ${median(inside.map((s) => s.invokeMs)).toFixed(1)} ms (median)`);
  console.log(`  of which signing the token:           ${median(inside.map((s) => s.signMs)).toFixed(1)} ms (median)`);
} finally {
  rmSync(task, { recursive: true, force: true });
}
