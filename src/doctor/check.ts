import { grantFix } from './denials.js';
import type { PolicyRequest } from './policy-evaluation.js';
import type { Denial, DoctorOptions, PolicyHolder, Read, Snapshot } from './snapshot.js';

/** The check contract: what a check is given, what it answers, and how it says it cannot judge. */

/** The check ids are a contract (DOCTOR.md): `doctor --json`, the docs and the tests use them. */
export const CHECK_IDS = [
  'sg.proxy-to-cluster',
  'sg.proxy-egress-secrets',
  'sg.client-to-proxy',
  'iam.role-trust',
  'iam.role-reads-secret',
  'iam.role-kms',
  'iam.role-db-connect',
  'client.tls',
  'client.endpoint',
  'client.connect-permission',
  'client.same-vpc',
  'client.user-matches',
  'logs.debug-logging',
  'logs.recent-errors',
  'account.identity',
  'proxy.status',
  'proxy.auth',
  'proxy.targets',
  'proxy.subnets',
  'cluster.supported',
  'cluster.iam-auth',
  'secret.shape',
  'user.rds-iam',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** The seed tutorial's four troubleshooting headings, then what goes beyond it. */
export const CHECK_GROUPS = {
  'security-groups': 'Security groups',
  'iam-role': 'IAM role of the proxy',
  client: 'Client code and permissions',
  'debug-logs': 'Debug logs',
  beyond: 'Beyond',
} as const;
export type CheckGroup = keyof typeof CHECK_GROUPS;

/** What a check says; `fix` is the exact action, present unless the check passed. */
export interface Outcome {
  status: CheckStatus;
  evidence: string;
  fix?: string;
}

export interface CheckResult extends Outcome {
  id: CheckId;
  title: string;
  group: CheckGroup;
}

export interface PermissionAnswer {
  allowed: boolean;
  explicitDeny: boolean;
  /** How it was decided, for the evidence: the IAM simulator, or the local evaluation and why. */
  how: string;
  /** The statement that decided it, when known. */
  decidedBy?: string;
  /** Condition operators the local evaluation could not judge. */
  unevaluated: string[];
}

/** Answers "may this role do that?" for the checks (permissions.ts). */
export interface Permissions {
  mayPerform(role: PolicyHolder, request: PolicyRequest): Promise<PermissionAnswer>;
}

export interface CheckContext {
  snapshot: Snapshot;
  permissions: Permissions;
  options: DoctorOptions;
  /** The results of the checks of earlier phases (empty in phase 0). */
  earlier: readonly CheckResult[];
}

export interface Check {
  id: CheckId;
  title: string;
  group: CheckGroup;
  /**
   * Checks of phase 0 (the default) run at the same time; a later phase runs once the earlier
   * ones are done and sees their results (a target's health quotes the checks that explain it).
   */
  phase?: 1 | 2;
  run(ctx: CheckContext): Outcome | Promise<Outcome>;
}

/**
 * Thrown inside a check when what it needs is missing: the check becomes `skip` with the reason,
 * and the fix when there is one (the permission a denied read lacks).
 */
export class SkipCheck extends Error {
  constructor(
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }
}

export const pass = (evidence: string): Outcome => ({ status: 'pass', evidence });
export const warn = (evidence: string, fix: string): Outcome => ({ status: 'warn', evidence, fix });
export const fail = (evidence: string, fix: string): Outcome => ({ status: 'fail', evidence, fix });
export const skip = (evidence: string, fix?: string): Outcome => ({ status: 'skip', evidence, ...(fix ? { fix } : {}) });

/** The value a check cannot go without; when the read failed, the check is skipped with its error. */
export function need<T>(r: Read<T>): T {
  if (!r.ok) throw new SkipCheck(r.error, r.denied ? grantFix([r.denied]) : undefined);
  return r.value;
}

/** The permissions the failed ones of these reads lacked. */
export function denialsOf(...reads: readonly (Read<unknown> | undefined)[]): Denial[] {
  return reads.flatMap((r) => (r && !r.ok && r.denied ? [r.denied] : []));
}

/**
 * Skips the check when one of these reads failed for another reason than the resource being
 * gone: what the check would conclude without them is not known. `what` says what they held.
 */
export function needReads(what: string, ...reads: readonly (Read<unknown> | undefined)[]): void {
  const unread = reads.filter((r): r is Extract<Read<unknown>, { ok: false }> => r !== undefined && !r.ok && !r.notFound);
  if (unread.length === 0) return;
  const denials = denialsOf(...unread);
  throw new SkipCheck(`${what} could not be read: ${unread.map((r) => r.error).join('; ')}`, denials.length > 0 ? grantFix(denials) : undefined);
}
