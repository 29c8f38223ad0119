// `npm run bench:up [-- --runs 3 --factor 0.05 --latency-ms 200 --only up|rounds]`: how long `up` and `teardown` take
// against the sandbox in its AWS timing mode (sandbox/additions/timing.py: AWS's durations times the
// factor), how late each wait notices a resource is ready, how often it polls, which AWS calls the
// sandbox answered, and how many rounds of dependent requests `status` and `doctor` make.
// Prints tables; asserts nothing about time.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { root } from './setup.mjs';
import { sandboxEnv, startSandbox } from './sandbox.mjs';

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    factor: { type: 'string', default: '0.05' },
    'latency-ms': { type: 'string', default: '200' },
    only: { type: 'string' },
  },
});
const RUNS = Number(options.runs);
const FACTOR = Number(options.factor);
const LATENCY_MS = Number(options['latency-ms']);
const STACK = 'bench';
const CLI = join(root, 'bin', 'rdsproxy-setup.js');
const { STACK_STEPS } = await import(join(root, 'dist', 'steps', 'stack.js'));

/** The describe call that watches each kind of resource, and the parameter naming it. */
const WATCHED_BY = {
  cluster: ['DescribeDBClusters', 'DBClusterIdentifier'],
  instance: ['DescribeDBInstances', 'DBInstanceIdentifier'],
  proxy: ['DescribeDBProxies', 'DBProxyName'],
  target: ['DescribeDBProxyTargets', 'DBProxyName'],
};

function runCli(args, env) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true', ...env } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, ms: performance.now() - started, output }));
  });
}

async function mustRun(args, env) {
  const run = await runCli(args, env);
  if (run.code !== 0) throw new Error(`rdsproxy-setup ${args.join(' ')} exited ${run.code}:\n${run.output}`);
  return run;
}

async function timingReport(endpoint) {
  const res = await fetch(`${endpoint}/_sandbox/timing`);
  if (!res.ok) throw new Error(`GET /_sandbox/timing answered ${res.status}`);
  return res.json();
}

/**
 * One wait as the sandbox saw it: lateness = the first describe at or after the moment the sandbox
 * made the resource ready (or gone) minus that moment; polls = describes of it from the create (or
 * delete) call up to that one; rate = polls after the first per second between the first and that one.
 */
function measureWait(timeline, requests) {
  const [action, param] = WATCHED_BY[timeline.kind];
  const looks = requests
    .filter((r) => r.action === action && r.ids[param] === timeline.id && r.t >= timeline.started)
    .sort((a, b) => a.t - b.t);
  const seenAt = looks.findIndex((r) => r.t >= timeline.done);
  if (seenAt < 0) return undefined;
  const polls = looks.slice(0, seenAt + 1);
  const span = polls.at(-1).t - polls[0].t;
  return {
    wait: `${timeline.kind} ${timeline.phase === 'create' ? 'ready' : 'gone'}`,
    latenessS: polls.at(-1).t - timeline.done,
    polls: polls.length,
    perSecond: span > 0 ? (polls.length - 1) / span : 0,
  };
}

function callsByAction(requests) {
  const counts = {};
  for (const r of requests) counts[`${r.service} ${r.action}`] = (counts[`${r.service} ${r.action}`] ?? 0) + 1;
  return counts;
}

/**
 * The model's critical path through the step graph with the sandbox's durations: a step starts when
 * its needs are ready (or, for needs it may start after, created); the proxy's create is refused
 * until the role has propagated; the target is ready target-register after the proxy and the
 * instance are.
 */
function upModel(seconds) {
  const took = {
    cluster: seconds['cluster-create'],
    instance: seconds['instance-create'],
    proxy: seconds['proxy-create'],
    target: seconds['target-register'],
  };
  const created = {};
  const ready = {};
  const via = {};
  for (const step of STACK_STEPS) {
    const afterCreate = new Set(step.startsAfterCreated ?? []);
    let start = 0;
    for (const need of step.needs) {
      const at = afterCreate.has(need) ? created[need] : ready[need];
      if (at >= start) [start, via[step.id]] = [at, { id: need, created: afterCreate.has(need) }];
    }
    if (step.id === 'proxy' && created.role + seconds['role-propagation'] > start) {
      [start, via[step.id]] = [created.role + seconds['role-propagation'], { id: 'role', created: true }];
    }
    created[step.id] = start;
    ready[step.id] = start + (took[step.id] ?? 0);
  }
  return pathTo(ready, via, took);
}

/** Teardown deletes a resource after every resource that needs it is gone. */
function teardownModel(seconds) {
  const took = { cluster: seconds['cluster-delete'], instance: seconds['instance-delete'], proxy: seconds['proxy-delete'] };
  const gone = {};
  const via = {};
  for (const step of [...STACK_STEPS].reverse()) {
    let start = 0;
    for (const other of STACK_STEPS) {
      if (other.needs.includes(step.id) && gone[other.id] >= start) [start, via[step.id]] = [gone[other.id], { id: other.id }];
    }
    gone[step.id] = start + (step.owned ? (took[step.id] ?? 0) : 0);
  }
  return pathTo(gone, via, took);
}

/** The chain of timed steps that ends last; a step whose create call is all that was waited for counts 0 s. */
function pathTo(finish, via, took) {
  let last = Object.keys(finish).reduce((a, b) => (finish[b] > finish[a] ? b : a));
  const total = finish[last];
  const chain = [];
  for (let onlyCreated = false; last; ) {
    if (onlyCreated) chain.unshift(`${last} create call`);
    else if (took[last]) chain.unshift(`${last} ${took[last]} s`);
    onlyCreated = via[last]?.created ?? false;
    last = via[last]?.id;
  }
  return { totalS: total, chain: chain.join(' → ') };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (n, digits = 1) => (n === undefined ? '–' : n.toFixed(digits));

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log('');
}

/**
 * Rounds of dependent requests: a request is one round deeper than the deepest one answered before
 * it was sent. Returns each round's actions.
 */
function rounds(requests) {
  const sorted = [...requests].sort((a, b) => a.received - b.received);
  const depth = [];
  sorted.forEach((r, i) => {
    depth[i] = 1 + Math.max(0, ...sorted.slice(0, i).map((q, j) => (q.done <= r.received ? depth[j] : 0)));
  });
  const byRound = [];
  sorted.forEach((r, i) => (byRound[depth[i] - 1] ??= []).push(r.action));
  return byRound;
}

async function benchUp() {
  const sandbox = await startSandbox({ env: { SANDBOX_TIMING: String(FACTOR) } });
  const env = { ...sandboxEnv(sandbox.endpoint), RDSPROXY_EXPECTED_DURATION_SCALE: String(FACTOR) };
  const runs = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      await sandbox.reset();
      const up = await mustRun(['up', '--name', STACK, '--yes'], env);
      const afterUp = await timingReport(sandbox.endpoint);
      const teardown = await mustRun(['teardown', '--name', STACK, '--yes'], env);
      const report = await timingReport(sandbox.endpoint);
      const upRequests = afterUp.requests;
      const teardownRequests = report.requests.slice(upRequests.length);
      const waits = report.resources
        .map((t) => measureWait(t, t.phase === 'create' ? upRequests : teardownRequests))
        .filter(Boolean);
      runs.push({ upMs: up.ms, teardownMs: teardown.ms, waits, seconds: report.seconds, upCalls: callsByAction(upRequests), teardownCalls: callsByAction(teardownRequests) });
      process.stderr.write(`run ${i + 1}/${RUNS}: up ${fmt(up.ms / 1000)} s, teardown ${fmt(teardown.ms / 1000)} s\n`);
    }
  } finally {
    await sandbox.stop();
  }
  return runs;
}

/** status and doctor on a built stack, with every request delayed by latencyMs: wall time and requests. */
async function commandsWithLatency(latencyMs) {
  const sandbox = await startSandbox({ env: { SANDBOX_LATENCY_MS: String(latencyMs) } });
  const env = sandboxEnv(sandbox.endpoint);
  const runs = {};
  try {
    await mustRun(['up', '--name', STACK, '--yes'], env);
    for (const command of ['status', 'doctor']) {
      const before = (await timingReport(sandbox.endpoint)).requests.length;
      const run = await runCli([command, '--name', STACK], env);
      runs[command] = { ...run, requests: (await timingReport(sandbox.endpoint)).requests.slice(before) };
    }
  } finally {
    await sandbox.stop();
  }
  return runs;
}

async function benchRounds() {
  const base = await commandsWithLatency(0);
  const slow = await commandsWithLatency(LATENCY_MS);
  return ['status', 'doctor'].map((command) => {
    const byRound = rounds(slow[command].requests);
    return {
      row: [
        command,
        slow[command].code,
        slow[command].requests.length,
        byRound.length,
        fmt((slow[command].ms - base[command].ms) / LATENCY_MS, 1),
        fmt(slow[command].ms / 1000, 2),
        fmt(base[command].ms / 1000, 2),
      ],
      byRound,
    };
  });
}

if (options.only !== 'rounds') {
  const runs = await benchUp();
  const seconds = runs[0].seconds;
  const upPath = upModel(seconds);
  const teardownPath = teardownModel(seconds);

  console.log(`\nbench:up: ${RUNS} runs, sandbox timing factor ${FACTOR} (AWS seconds × ${FACTOR}); medians\n`);
  table(
    ['', 'wall s', 'model critical path s (AWS s)', 'critical chain'],
    [
      ['up', fmt(median(runs.map((r) => r.upMs)) / 1000), `${fmt(upPath.totalS * FACTOR)} (${upPath.totalS})`, upPath.chain],
      ['teardown', fmt(median(runs.map((r) => r.teardownMs)) / 1000), `${fmt(teardownPath.totalS * FACTOR)} (${teardownPath.totalS})`, teardownPath.chain],
    ],
  );

  const waitNames = [...new Set(runs.flatMap((r) => r.waits.map((w) => w.wait)))];
  table(
    ['wait', 'lateness s', 'max lateness s', 'polls', 'polls/s'],
    waitNames.map((name) => {
      const ws = runs.map((r) => r.waits.find((w) => w.wait === name)).filter(Boolean);
      return [
        name,
        fmt(median(ws.map((w) => w.latenessS)), 2),
        fmt(Math.max(...ws.map((w) => w.latenessS)), 2),
        fmt(median(ws.map((w) => w.polls)), 0),
        fmt(median(ws.map((w) => w.perSecond)), 2),
      ];
    }),
  );
  console.log('lateness: first describe at or after the moment the sandbox made it ready (or gone), minus that moment.');
  console.log('polls/s: describes after the first, per second from the first to the one that saw it.\n');

  const actions = [...new Set(runs.flatMap((r) => [...Object.keys(r.upCalls), ...Object.keys(r.teardownCalls)]))].sort();
  table(
    ['AWS calls by action (sandbox log)', 'up', 'teardown'],
    [
      ...actions.map((a) => [a, median(runs.map((r) => r.upCalls[a] ?? 0)), median(runs.map((r) => r.teardownCalls[a] ?? 0))]),
      ['total', median(runs.map((r) => Object.values(r.upCalls).reduce((x, y) => x + y, 0))), median(runs.map((r) => Object.values(r.teardownCalls).reduce((x, y) => x + y, 0)))],
    ],
  );
}

if (options.only !== 'up') {
  const roundRuns = await benchRounds();
  table(
    [`command (${LATENCY_MS} ms per request)`, 'exit', 'requests', 'rounds (timestamps)', 'rounds (Δwall / latency)', 'wall s', 'wall s at 0 ms'],
    roundRuns.map((r) => r.row),
  );
  for (const { row, byRound } of roundRuns) {
    console.log(`${row[0]} rounds:`);
    byRound.forEach((actions, i) => console.log(`  ${i + 1}: ${actions.join(', ')}`));
  }
}
