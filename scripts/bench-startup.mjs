// Median wall time of `rdsproxy-setup --help` against a bare `node -e 0`, on this machine.
// Usage: npm run build && node scripts/bench-startup.mjs [runs]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 21);
const cli = fileURLToPath(new URL('../bin/rdsproxy-setup.js', import.meta.url));

function median(args) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}`);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const bare = median(['-e', '0']);
const help = median([cli, '--help']);
console.log(`runs: ${runs}`);
console.log(`node -e 0:              ${bare.toFixed(1)} ms (median)`);
console.log(`rdsproxy-setup --help:  ${help.toFixed(1)} ms (median)`);
console.log(`cost of the CLI itself: ${(help - bare).toFixed(1)} ms`);
