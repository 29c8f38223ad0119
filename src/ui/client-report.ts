import type { CheckResult } from '../doctor/check.js';
import type { ClientListing } from '../grants/list-clients.js';
import type { GrantResult } from '../grants/grant-result.js';
import { describeClient } from '../grants/records.js';
import type { RevokeResult } from '../grants/revoke-client.js';
import { renderChecks } from './doctor-report.js';
import { MARK } from './symbols.js';

const bullets = (mark: string, lines: readonly string[]) => lines.map((l) => `  ${mark} ${l}`);

/** What grant changed, what it left alone, and the doctor's client checks. */
export function renderGrant(stack: string, result: GrantResult, checks: readonly CheckResult[]): string {
  const who = describeClient(result.client);
  const head =
    result.changes.length === 0
      ? `${who} was already a client of stack ${stack} for database user "${result.user}": nothing changed.`
      : `${who} is a client of stack ${stack} for database user "${result.user}". Changed:`;
  return [
    head,
    ...bullets('+', result.changes),
    ...bullets(MARK.warn, result.notes),
    '',
    'Client checks:',
    renderChecks(checks),
  ].join('\n');
}

const checksJson = (checks: readonly CheckResult[]) =>
  checks.map((c) => ({ id: c.id, title: c.title, status: c.status, evidence: c.evidence, ...(c.fix ? { fix: c.fix } : {}) }));

export function grantJson(stack: string, result: GrantResult, checks: readonly CheckResult[]) {
  return {
    stack,
    client: { kind: result.client.kind, name: result.client.name, user: result.user },
    changes: result.changes,
    notes: result.notes,
    checks: checksJson(checks),
  };
}

/** `up --lambda`: each client as `status --json` lists it, with what this grant noted and its checks. */
export function upClientJson(result: GrantResult, checks: readonly CheckResult[]) {
  return { kind: result.client.kind, name: result.client.name, user: result.user, changes: result.changes, notes: result.notes, checks: checksJson(checks) };
}

export function renderRevoke(stack: string, result: RevokeResult): string {
  const who = describeClient(result.client);
  const head =
    result.undone.length === 0 ? `Nothing to undo for ${who} in stack ${stack}.` : `${who} is no longer a client of stack ${stack}. Undone:`;
  return [head, ...bullets('-', result.undone), ...bullets(MARK.warn, result.notes.filter((n) => !n.startsWith('Nothing to undo')))].join('\n');
}

export function revokeJson(stack: string, result: RevokeResult) {
  return {
    stack,
    client: { kind: result.client.kind, name: result.client.name, ...(result.user ? { user: result.user } : {}) },
    undone: result.undone,
    notes: result.notes,
  };
}

/** status: one line per client, what grant changed under it. */
export function renderClients(clients: readonly ClientListing[]): string {
  if (clients.length === 0) return 'Clients: none (grant one with `rdsproxy-setup grant --lambda <function>`).';
  return ['Clients:', ...clients.flatMap((c) => [`  ${c.kind} ${c.name} as "${c.user}"`, ...c.changes.map((ch) => `      ${ch}`)])].join('\n');
}
