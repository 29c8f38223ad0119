import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { deniedAction, isMissingPermission, missingPermissionHint, wrapAwsError } from './aws/errors.js';
import { unansweredCall } from './aws/unanswered.js';
import { CliError, ExitCode } from './errors.js';
import { DEFAULT_STACK, UP_DEFAULTS } from './config/defaults.js';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Options every command takes; commander merges them with the command's own. */
function withGlobalOptions(command: Command): Command {
  return command
    .option('--name <stack>', `stack name (env RDSPROXY_STACK; default "${DEFAULT_STACK}")`)
    .option('--region <region>', 'AWS region (default: AWS_REGION or your profile)')
    .option('--profile <profile>', 'AWS named profile')
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint (also AWS_ENDPOINT_URL)')
    .option('--json', 'print one JSON document on stdout; progress stays on stderr')
    .option('--yes', 'answer yes to every prompt')
    .option('--verbose', 'log each AWS call (secrets redacted)');
}

/** The default is applied by config/up-config.ts when the option is absent; help only shows it. */
function withDefault(description: string, value: string | number): string {
  return `${description} (default: ${value})`;
}

/** A repeatable option's values, in the order given. */
const collect = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * Each command's module is imported only when it runs, so `--help` and `--version` load no
 * AWS SDK client and each command loads only the clients it uses.
 */
type Action = (options: Record<string, unknown>) => Promise<void>;
const lazy = (load: () => Promise<{ run: Action }>) => async (options: Record<string, unknown>) =>
  (await load()).run(options);

export function buildProgram(): Command {
  const program = new Command('rdsproxy-setup')
    .description('An RDS Proxy with IAM authentication in front of Aurora PostgreSQL Serverless v2, in one command.')
    .version(packageVersion())
    .showHelpAfterError()
    .exitOverride();

  withGlobalOptions(program.command('up'))
    .description('create the stack, or finish and repair it (idempotent)')
    .option('--dry-run', 'show the plan and change nothing')
    .option('--no-rollback', 'keep what a failed run created (the next `up` finishes it)')
    .option('--vpc-id <id>', 'VPC to use (default: the default VPC)')
    .option('--subnet-ids <ids>', 'comma-separated subnet ids in at least two Availability Zones')
    .option('--db-subnet-group <name>', 'use this existing DB subnet group instead of creating one')
    .option('--client-sg <sg-id>', 'security group of your clients; the proxy admits 5432 from it')
    .option('--client-cidr <cidr>', 'CIDR the proxy admits on 5432 (default: the VPC CIDR)')
    .option('--engine-version <version>', withDefault('Aurora PostgreSQL version', UP_DEFAULTS.engineVersion))
    .option('--min-acu <acu>', withDefault('Serverless v2 minimum capacity', UP_DEFAULTS.minAcu))
    .option('--max-acu <acu>', withDefault('Serverless v2 maximum capacity', UP_DEFAULTS.maxAcu))
    .option('--db-name <name>', withDefault('database created in the cluster', UP_DEFAULTS.dbName))
    .option('--master-user <name>', withDefault('master user (held in the secret)', UP_DEFAULTS.masterUser))
    .option('--borrow-timeout <seconds>', withDefault('proxy connection borrow timeout', UP_DEFAULTS.borrowTimeoutSeconds))
    .option('--max-connections-percent <pct>', withDefault('proxy max connections percent', UP_DEFAULTS.maxConnectionsPercent))
    .option('--max-idle-percent <pct>', 'proxy max idle connections percent (default: half of max connections)')
    .option('--idle-timeout <seconds>', withDefault('proxy idle client timeout', UP_DEFAULTS.idleClientTimeoutSeconds))
    .option('--debug-logging', 'turn on the proxy debug logging (logs SQL text: use for a while only)')
    .option('--take-over-lease', "take the stack's lease from the run holding it, without waiting until it is stale")
    .option('--lambda <function>', 'then grant this Lambda function access, as `grant --lambda` does (repeatable)', collect, [])
    .option('--attach-vpc', 'with --lambda: place functions that are in no VPC in the proxy\'s subnets')
    .option('--overwrite-env', 'with --lambda: replace PG* variables that hold other values')
    .option('--auth <mode>', 'how the proxy logs in to the database: secrets, or iam end to end (default: keep; secrets for a new stack)')
    .option('--data-api', "turn on the cluster's Data API (HTTP endpoint), which the user commands use")
    .option('--with-lambda', "also deploy the stack's own function <stack>-client and grant it (--attach-vpc): connect --from-lambda runs in it")
    .action(lazy(() => import('./commands/up.js')));

  withGlobalOptions(program.command('status'))
    .description("what exists for the stack, each resource's state and the proxy's target health")
    .action(lazy(() => import('./commands/status.js')));

  withGlobalOptions(program.command('teardown'))
    .description('remove the stack in reverse order; keeps a final snapshot and a recoverable secret')
    .option('--skip-final-snapshot', 'do not keep a final cluster snapshot')
    .option('--force-delete-secret', 'delete the secret now instead of after a 7-day recovery window')
    .option('--take-over-lease', "take the stack's lease from the run holding it, without waiting until it is stale")
    .action(lazy(() => import('./commands/teardown.js')));

  withGlobalOptions(program.command('doctor'))
    .description('diagnose any RDS Proxy for PostgreSQL (ours or not) and say exactly what to fix')
    .option('--proxy <name>', 'the proxy to diagnose (any proxy, whoever made it); default: the stack\'s')
    .option('--user <db-user>', 'the database user your clients sign tokens for')
    .option('--lambda <function>', 'also check this Lambda function as the client')
    .option('--client-sg <sg-id>', 'also check this security group as the client\'s')
    .action(lazy(() => import('./commands/doctor.js')));

  withGlobalOptions(program.command('connect'))
    .description('open an IAM-authenticated TLS session through the proxy and run a query')
    .option('--proxy <name>', 'connect through this proxy instead of the stack\'s')
    .option('--user <db-user>', 'database user (default: the cluster\'s master user)')
    .option('--db <name>', 'database (default: the cluster\'s database)')
    .option('--command <sql>', 'SQL to run (default: who am I, database, server version, SSL)')
    .option('--via <host:port>', 'TCP to this local tunnel; token and TLS stay those of the proxy host')
    .option('--print-snippet', 'print TypeScript connection code with the real values, and stop')
    .option('--print-env', 'print PG* environment variables (never a password), and stop')
    .option('--from-lambda', "run the query in the stack's function <stack>-client, inside the VPC (created and granted first if missing); with --via, the function dials that address instead")
    .option('--take-over-lease', "with --from-lambda: take the stack's lease from the run holding it, if the function must be created")
    .action(lazy(() => import('./commands/connect.js')));

  withGlobalOptions(program.command('grant'))
    .description("wire a client to the stack's proxy: network path, rds-db:connect for the user, PG* settings; then check it")
    .option('--lambda <function>', 'the Lambda function (name or ARN) to wire')
    .option('--role <role>', 'the IAM role (name or ARN) of an ECS task, EC2 instance, EKS pod or any other client')
    .option('--user <db-user>', 'the database user it connects as (default: the user in the proxy\'s secret)')
    .option('--attach-vpc', 'place a function that is in no VPC in the proxy\'s subnets (it then needs a NAT gateway or VPC endpoints for the internet)')
    .option('--overwrite-env', 'replace PG* environment variables that hold other values (kept and reported otherwise)')
    .option('--client-sg <sg-id>', 'with --role: the security group its workload runs with; the proxy admits 5432 from it')
    .option('--take-over-lease', "take the stack's lease from the run holding it, without waiting until it is stale")
    .action(lazy(() => import('./commands/grant.js')));

  withGlobalOptions(program.command('revoke'))
    .description('undo exactly what grant did to a client, as its records on AWS say; a second revoke changes nothing')
    .option('--lambda <function>', 'the Lambda function (name or ARN)')
    .option('--role <role>', 'the IAM role (name or ARN)')
    .option('--take-over-lease', "take the stack's lease from the run holding it, without waiting until it is stale")
    .action(lazy(() => import('./commands/revoke.js')));

  const user = program.command('user').description("the stack's database users, through the RDS Data API (add, list, remove)");
  const loadUser = () => import('./commands/user.js');
  withGlobalOptions(user.command('add <db-user>'))
    .description("create a database user the proxy logs in as (the stack's auth mode), with its privileges")
    .option('--read-only', 'SELECT only (default: read-write on the public schema)')
    .option('--close-data-api', 'turn the Data API (HTTP endpoint) off again when done')
    .option('--take-over-lease', "take the stack's lease from the run holding it, without waiting until it is stale")
    .action(async (dbUser: string, options: Record<string, unknown>) => (await loadUser()).runAdd(dbUser, options));
  withGlobalOptions(user.command('list'))
    .description("the stack's database users and what each still needs")
    .option('--close-data-api', 'turn the Data API (HTTP endpoint) off again when done')
    .action(async (options: Record<string, unknown>) => (await loadUser()).runList(options));
  withGlobalOptions(user.command('remove <db-user>'))
    .description('drop a database user made by `user add`, with its secret, auth entry and role policy')
    .option('--reassign-to <user>', 'give what the user owns to this user (otherwise a user that owns objects is refused)')
    .option('--close-data-api', 'turn the Data API (HTTP endpoint) off again when done')
    .option('--take-over-lease', "take the stack's lease from the run holding it, without waiting until it is stale")
    .action(async (dbUser: string, options: Record<string, unknown>) => (await loadUser()).runRemove(dbUser, options));

  withGlobalOptions(program.command('iam-policy'))
    .description("print the least-privilege IAM policy for this CLI's own user (JSON, a statement per line; --json indents it)")
    .option('--for <commands>', 'the commands it must allow: up, status, teardown, doctor, connect, grant, revoke or all, comma-separated', 'all')
    .option('--account <id>', 'the 12-digit account id to put in the ARNs (default: *, any account)')
    .action(lazy(() => import('./commands/iam-policy.js')));

  return program;
}

/** A refusal for want of a permission names it and the policy of the command that ran; any other error keeps its hint. */
function hintOf(err: CliError, command: string | undefined): string | undefined {
  return isMissingPermission(err) ? missingPermissionHint(deniedAction(err), command) : err.hint;
}

function printError(err: CliError, command: string | undefined): void {
  process.stderr.write(`Error: ${err.message}\n`);
  const hint = hintOf(err, command);
  if (hint) process.stderr.write(`Hint: ${hint}\n`);
}

/** With --json a failure is also one JSON document on stdout (DESIGN.md section 2). */
function printJsonError(err: CliError, command: string | undefined): void {
  const document = { error: { code: err.code, message: err.message, hint: hintOf(err, command) }, ...err.details };
  process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
}

/** The one top-level error handler: every failure leaves through here with its exit code. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  let json = false;
  let command: string | undefined;
  program.hook('preAction', (_program, action) => {
    json = action.opts().json === true;
    // `user add` is `user`'s: the IAM policy and its hints go by the top-level command.
    command = action.parent && action.parent !== program ? action.parent.name() : action.name();
  });
  try {
    await program.parseAsync(argv);
  } catch (thrown) {
    // An endpoint that never answered is named as such, even where no step wrapped the call.
    const err = !(thrown instanceof CliError) && unansweredCall(thrown) ? wrapAwsError('calling AWS', thrown) : thrown;
    if (err instanceof CommanderError) {
      // Help and version exit 0; commander has already printed its usage message otherwise.
      process.exitCode = err.exitCode === 0 ? ExitCode.success : ExitCode.usage;
      return;
    }
    if (err instanceof CliError) {
      printError(err, command);
      if (json) printJsonError(err, command);
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`Error: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    if (json) printJsonError(new CliError(`unexpected failure: ${err instanceof Error ? err.message : String(err)}`, { code: 'Unexpected' }), command);
    process.exitCode = ExitCode.failure;
  }
}

