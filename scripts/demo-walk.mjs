// The demo's walk, once the CLI is built (scripts/demo.mjs builds it first; the demo's test runs
// this alone): starts the local AWS sandbox and a PostgreSQL standing in behind its proxy
// (scripts/demo-database.mjs), then walks a stack through its life in the terminal: up
// --with-lambda → status → doctor → connect snippet → connect --from-lambda → teardown. The
// function runs in the sandbox with the local Node and prints the query's rows.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { UP_DEFAULTS } from '../dist/config/defaults.js';
import { prepareDemoDatabase } from './demo-database.mjs';
import { sandboxEnv, startSandbox } from './sandbox.mjs';
import { root } from './setup.mjs';
import { ensureSystemPackages } from './system-packages.mjs';

const stack = 'demo';
const cli = join(root, 'bin', 'rdsproxy-setup.js');
const bold = (text) => `\x1b[1m${text}\x1b[0m`;
const say = (text) => process.stdout.write(`${text}\n`);

const { missing, install } = ensureSystemPackages(['openssl', 'postgres']);
const database = missing.length === 0
  ? prepareDemoDatabase({ user: UP_DEFAULTS.masterUser, database: UP_DEFAULTS.dbName })
  : undefined;
let sandbox;
let env;

// Ctrl-C reaches the running CLI too; the demo then stops walking and cleans up.
let interrupted = false;
process.on('SIGINT', () => {
  interrupted = true;
});

/**
 * Runs the CLI in the terminal; resolves to its exit code. Not spawnSync: the stand-in database's
 * LDAP catcher runs in this process and must answer while the CLI runs.
 */
function step(title, args) {
  say(`\n${bold(`$ rdsproxy-setup ${args.join(' ')}`)}   # ${title}\n`);
  return new Promise((resolve) => {
    spawn(process.execPath, [cli, ...args], { stdio: 'inherit', env }).on('close', (code) => resolve(code));
  });
}

function proxyEndpoint() {
  const status = spawnSync(process.execPath, [cli, 'status', '--name', stack, '--json'], { env, encoding: 'utf8' });
  return JSON.parse(status.stdout).outputs.proxyEndpoint;
}

/** The query through the function: to the stand-in database when there is one, else its typed failure. */
async function fromLambda() {
  if (!database) {
    say(`\n(${missing.join(' and ')} missing, and this user may not install them: no database stands in behind the`);
    say(`sandbox's proxy, so the function's session fails, typed. \`${install}\` then \`npm run demo\` shows the query.)`);
    await step("the query from inside the VPC, run by the stack's function", ['connect', '--name', stack, '--from-lambda']);
    return true;
  }
  const endpoint = proxyEndpoint();
  const port = await database.start(endpoint);
  say(`\nA local PostgreSQL on 127.0.0.1:${port} stands in behind the proxy, with a TLS certificate for ${endpoint}.`);
  const code = await step(
    "the query from inside the VPC, run by the stack's function (--via: the sandbox's proxy is a name only, so the function dials the stand-in; the token and TLS name stay the proxy's)",
    ['connect', '--name', stack, '--from-lambda', '--via', `127.0.0.1:${port}`],
  );
  const signedFor = database.lastTokenTarget();
  if (signedFor) {
    say(`\nThe stand-in took the function's IAM token (not shown), signed for ${signedFor}; it accepts any password, where RDS Proxy verifies it.`);
  }
  return code === 0;
}

const passes = async (title, args) => (await step(title, args)) === 0;
const walk = [
  () => passes("create the whole stack, and its own Lambda function in the proxy's subnets", ['up', '--name', stack, '--with-lambda']),
  () => passes('what exists, and the target health', ['status', '--name', stack]),
  () => passes("check every hop of the path, from the stack's function on", ['doctor', '--name', stack, '--lambda', `${stack}-client`]),
  () => passes('the connection code for an application', ['connect', '--name', stack, '--print-snippet']),
  fromLambda,
  () => passes('remove it (final snapshot kept, secret recoverable)', ['teardown', '--name', stack, '--yes']),
];

let failed = false;
try {
  // The functions the sandbox runs trust the stand-in's CA, as Lambda's image trusts Amazon's roots.
  sandbox = await startSandbox({ env: database ? { SANDBOX_LAMBDA_EXTRA_CA_CERTS: database.caFile } : {} });
  env = { ...process.env, ...sandboxEnv(sandbox.endpoint) };
  say(`Local AWS sandbox (moto) on ${sandbox.endpoint}: nothing here touches a real account.`);
  for (const run of walk) {
    if (!(await run()) || interrupted) {
      failed = true;
      break;
    }
  }
} catch (err) {
  // A Ctrl-C that lands in the demo's own set-up (pg_ctl starting, say) fails it: not news.
  if (!interrupted) throw err;
} finally {
  await database?.stop();
  await sandbox?.stop();
}
process.exitCode = interrupted ? 130 : failed ? 1 : 0;
