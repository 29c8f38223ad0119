import { parseArn } from '../config/arns.js';
import { CliError } from '../errors.js';
import { describeClient, indexTagKey, type ClientRef } from './records.js';
import type { GrantTarget } from './target.js';

/** A grant refused before any write: exit 1, nothing changed. */
export function refusal(message: string, hint?: string): CliError {
  return new CliError(message, { hint: hint ? `Nothing was changed. ${hint}` : 'Nothing was changed.', source: 'user', code: 'GrantRefused' });
}

/** The user a client is granted for: --user, else the one the proxy's secret holds; one the proxy holds no credentials for is refused. */
export function userFor(target: GrantTarget, requested: string | undefined): string {
  const [first] = target.users;
  if (requested === undefined) {
    if (first === undefined) throw refusal(`The proxy ${target.proxy.name} holds no readable secret with a username.`, 'Pass --user <db-user>.');
    return first;
  }
  if (target.users.includes(requested)) return requested;
  const caseOnly = target.users.find((u) => u.toLowerCase() === requested.toLowerCase());
  const held = target.users.map((u) => `"${u}"`).join(', ') || 'no user';
  throw refusal(
    `--user "${requested}" is not a user the proxy ${target.proxy.name} holds credentials for (it holds ${held})${caseOnly ? ': user names are case-sensitive' : ''}; a client signing tokens for it would get "This RDS proxy has no credentials for the role ${requested}" (doctor check client.user-matches).`,
    `Use --user ${caseOnly ?? first ?? '<db-user>'}, or give the proxy a secret for "${requested}".`,
  );
}

/** The account and region of the proxy: a client given by ARN must be in both. */
function sameAccountAndRegion(target: GrantTarget, arn: string, what: string, regional: boolean): void {
  const proxy = parseArn(target.proxy.arn);
  const given = parseArn(arn);
  if (!proxy || !given) return;
  if (given.partition !== proxy.partition || given.account !== proxy.account || (regional && given.region !== proxy.region)) {
    const where = regional ? `account ${proxy.account}, region ${proxy.region}` : `account ${proxy.account}`;
    throw refusal(`${what} ${arn} is not in the proxy's ${where}: grant wires clients of the proxy's own account${regional ? ' and region' : ''}.`);
  }
}

/** The function's name, from a name, a full ARN or a partial one (`123456789012:function:name`). */
export function functionNameIn(target: GrantTarget, given: string): string {
  if (given.startsWith('arn:')) sameAccountAndRegion(target, given, 'Lambda function', true);
  else if (/^\d{12}:function:/.test(given)) {
    const account = given.slice(0, 12);
    const proxyAccount = parseArn(target.proxy.arn)?.account;
    if (proxyAccount && account !== proxyAccount) {
      throw refusal(`Lambda function ${given} is not in the proxy's account ${proxyAccount}: grant wires clients of the proxy's own account and region.`);
    }
  }
  return given.slice(given.lastIndexOf(':') + 1);
}

/** The role's name, from a name or an ARN. */
export function roleNameIn(target: GrantTarget, given: string): string {
  if (given.startsWith('arn:')) sameAccountAndRegion(target, given, 'IAM role', false);
  return given.slice(given.lastIndexOf('/') + 1);
}

/** A role AWS made for a service: its policies are AWS's to change. */
export function refuseServiceLinkedRole(role: { name: string; path: string }, forClient: string): void {
  if (role.path.startsWith('/aws-service-role/')) {
    throw refusal(`IAM role ${role.name}${forClient} is a service-linked role (path ${role.path}): AWS alone may change its policies.`);
  }
}

/** A client already granted for another user: one grant per client and stack. */
export function refuseOtherUser(stack: string, client: ClientRef, index: Readonly<Record<string, string>>, recorded: string | undefined, user: string): void {
  const granted = index[indexTagKey(client)] ?? recorded;
  if (granted !== undefined && granted !== user) {
    throw refusal(
      `${describeClient(client)} is already a client of stack ${stack} for user "${granted}".`,
      `Run \`rdsproxy-setup revoke --${client.kind} ${client.name} --name ${stack}\` first to grant it for "${user}".`,
    );
  }
}

/**
 * A Lambda function's environment variables, all together, in bytes of their JSON: 4 KB (Lambda
 * quotas, https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html; its refusal
 * says "exceeded the 4KB limit. String measured: {…}").
 */
const LAMBDA_ENVIRONMENT_BYTES = 4096;

/**
 * Lambda refuses an environment over its limit, and its error quotes every variable in it (the
 * user's own secrets too): refused here, before any write, in sizes only.
 */
export function refuseEnvironmentSize(what: string, variables: Readonly<Record<string, string>>): void {
  const bytes = Buffer.byteLength(JSON.stringify(variables), 'utf8');
  if (bytes > LAMBDA_ENVIRONMENT_BYTES) {
    throw refusal(
      `${what} would have ${bytes} bytes of environment variables with grant's PG* settings, but Lambda allows ${LAMBDA_ENVIRONMENT_BYTES} in all.`,
      `Free ${bytes - LAMBDA_ENVIRONMENT_BYTES} bytes of its variables.`,
    );
  }
}

/** Refuses when the tags to add would take a resource over its limit. */
export function refuseTagLimit(what: string, existing: Readonly<Record<string, string>>, adding: Readonly<Record<string, string>>, limit: number): void {
  const total = new Set([...Object.keys(existing), ...Object.keys(adding)]).size;
  if (total > limit) {
    throw refusal(
      `${what} would need ${total} tags, but AWS allows ${limit} per resource: grant records what it changes in tags.`,
      `Remove ${total - limit} unused tags from ${what}.`,
    );
  }
}
