import type { AddUserResult } from '../users/add-user.js';
import type { DataApiState } from '../users/data-api-closing.js';
import type { UserList } from '../users/list-users.js';
import type { RemoveUserResult } from '../users/remove-user.js';

/** After `up --auth` switched modes: what a user made for the other mode still needs in the database. */
export function migrationNote(user: string, mode: 'iam' | 'secrets', stack: string): string {
  const needs = mode === 'iam' ? 'GRANT rds_iam (IAM mode; its secret is no longer used)' : 'a password in a secret and REVOKE rds_iam (secrets mode)';
  return (
    `Database user ${user} now needs ${needs}; the proxy's role was changed already. ` +
    `Make it anew: rdsproxy-setup user remove ${user} --name ${stack} && rdsproxy-setup user add ${user} --name ${stack}`
  );
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  return rows.map((r) => r.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd()).join('\n');
}

/** The Data API's state after a user command: said whenever this command changed it or left it open. */
export function dataApiLines(state: DataApiState, clusterId: string, stack: string): string[] {
  if (state.closed) return [`The Data API (HTTP endpoint) of cluster ${clusterId} is off again (--close-data-api).`];
  if (!state.opened) return [];
  return [
    `The Data API (HTTP endpoint) of cluster ${clusterId} was off and is now on: anyone allowed rds-data:* and the master secret can run SQL through it.`,
    `Turn it off again with --close-data-api on a user command (rdsproxy-setup user list --name ${stack} --close-data-api).`,
  ];
}

export function renderAddedUser(result: AddUserResult, stack: string): string {
  const mode = result.mode === 'iam' ? 'IAM mode: the proxy logs in to the database with IAM' : 'secrets mode: the proxy logs in with the secret below';
  return [
    `Added database user ${result.user} (${result.access}) to database ${result.database} of stack ${stack}, ${mode}.`,
    ...(result.secret ? [`Secret: ${result.secret.name} (${result.secret.arn})`] : []),
    ...(result.proxyConnectsAs ? [`The proxy's role may rds-db:connect as ${result.proxyConnectsAs}`] : []),
    '',
    'Next:',
    `  rdsproxy-setup connect --name ${stack} --user ${result.user} --via <tunnel host:port>`,
    `  rdsproxy-setup connect --name ${stack} --user ${result.user} --print-snippet`,
  ].join('\n');
}

export function renderRemovedUser(result: RemoveUserResult, stack: string): string {
  const gone = [
    result.removed.authEntry ? "its secret in the proxy's auth list" : undefined,
    result.removed.policy ? "the proxy role's policy for it" : undefined,
    result.removed.role ? 'its database role and privileges' : undefined,
    result.removed.secret ? `secret ${result.removed.secret} (deleted at once)` : undefined,
  ].filter((x): x is string => x !== undefined);
  return [
    `Removed database user ${result.user} of stack ${stack}: ${gone.join(', ')}.`,
    ...(result.reassigned ? [`${result.reassigned.objects} objects it owned now belong to ${result.reassigned.to}.`] : []),
  ].join('\n');
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

export function renderUserList(list: UserList, stack: string): string {
  if (list.users.length === 0) return `Stack ${stack} has no database users made by rdsproxy-setup (mode: ${list.mode}).`;
  const rows = list.users.map((u) => [
    u.user,
    u.access ?? '?',
    yesNo(u.inRdsIam),
    yesNo(u.secret),
    yesNo(u.authEntry),
    yesNo(u.policy),
    u.needs.length === 0 ? 'ready' : `needs ${u.needs.join('; ')}`,
  ]);
  return [
    `Database users of stack ${stack} (mode: ${list.mode}):`,
    '',
    table([['USER', 'ACCESS', 'RDS_IAM', 'SECRET', 'PROXY AUTH', 'ROLE POLICY', 'STATE'], ...rows]),
  ].join('\n');
}
