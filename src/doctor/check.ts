import type { Snapshot } from './discover.js';
import type { Permissions } from './permissions.js';

/** The check ids are a contract (DOCTOR.md): `doctor --json`, the docs and the tests use them. */
export const CHECK_IDS = [
  'sg.proxy-to-cluster',
  'sg.proxy-egress-secrets',
  'sg.client-to-proxy',
  'iam.role-trust',
  'iam.role-reads-secret',
  'iam.role-kms',
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
  'secret.shape',
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

export interface DoctorOptions {
  /** The database user clients sign tokens for (--user). */
  user?: string;
  /** The Lambda function to check as the client (--lambda). */
  lambda?: string;
  /** The client's security group (--client-sg). */
  clientSecurityGroupId?: string;
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

/** Thrown inside a check when what it needs is missing: the check becomes `skip` with the reason. */
export class SkipCheck extends Error {}

export const pass = (evidence: string): Outcome => ({ status: 'pass', evidence });
export const warn = (evidence: string, fix: string): Outcome => ({ status: 'warn', evidence, fix });
export const fail = (evidence: string, fix: string): Outcome => ({ status: 'fail', evidence, fix });
export const skip = (evidence: string, fix?: string): Outcome => ({ status: 'skip', evidence, ...(fix ? { fix } : {}) });

function errorText(err: unknown): string {
  if (err instanceof Error) return err.name && err.name !== 'Error' ? `${err.name}: ${err.message}` : err.message;
  return String(err);
}

async function runOne(check: Check, ctx: CheckContext): Promise<CheckResult> {
  let outcome: Outcome;
  try {
    outcome = await check.run(ctx);
  } catch (err) {
    // A check never throws the run away: what it could not judge is a skip, with the reason.
    outcome =
      err instanceof SkipCheck ? skip(err.message) : skip(`the check could not run: ${errorText(err)}`);
  }
  return { id: check.id, title: check.title, group: check.group, ...outcome };
}

/** Runs the checks of each phase at the same time on the snapshot; results keep the given order. */
export async function runChecks(
  checks: readonly Check[],
  ctx: Omit<CheckContext, 'earlier'>,
): Promise<CheckResult[]> {
  const done: CheckResult[] = [];
  for (const phase of [0, 1, 2]) {
    const earlier = [...done];
    const now = checks.filter((c) => (c.phase ?? 0) === phase);
    done.push(...(await Promise.all(now.map((c) => runOne(c, { ...ctx, earlier })))));
  }
  const byId = new Map(done.map((r) => [r.id, r]));
  return checks.map((c) => byId.get(c.id)!);
}

export interface Summary {
  pass: number;
  warn: number;
  fail: number;
  skip: number;
}

export function summarize(results: readonly CheckResult[]): Summary {
  const summary: Summary = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const r of results) summary[r.status]++;
  return summary;
}
