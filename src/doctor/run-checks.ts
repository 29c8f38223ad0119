import { skip, SkipCheck, type Check, type CheckContext, type CheckResult, type Outcome } from './check.js';

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
      err instanceof SkipCheck ? skip(err.message, err.fix) : skip(`the check could not run: ${errorText(err)}`);
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
