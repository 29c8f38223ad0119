import { CHECK_GROUPS, type CheckResult, type CheckStatus } from '../doctor/check.js';
import { hopProblems, hopStatus, HOPS, type DoctorReport, type Hop } from '../doctor/report.js';
import { MARK } from './symbols.js';

export const STATUS_MARK: Record<CheckStatus, string> = {
  pass: MARK.done,
  warn: MARK.warn,
  fail: MARK.fail,
  skip: MARK.skip,
};

/** The first line after the prefix, the following ones aligned under it. */
function indent(text: string, prefix: string): string {
  const pad = ' '.repeat(prefix.length);
  return text
    .split('\n')
    .map((line, i) => `${i === 0 ? prefix : pad}${line}`)
    .join('\n');
}

/** One check: mark, id and title; evidence under it; the fix under that. */
export function renderCheck(result: CheckResult): string {
  const lines = [`  ${STATUS_MARK[result.status]} ${result.id}  ${result.title}`, indent(result.evidence, '      ')];
  if (result.fix) lines.push(indent(result.fix, '      fix: '));
  return lines.join('\n');
}

/** Several checks, one after the other (what `up` shows when a target turns unhealthy). */
export function renderChecks(results: readonly CheckResult[]): string {
  return results.map(renderCheck).join('\n');
}

/** The path client → proxy → database, and proxy → Secrets Manager, each hop marked. */
export function renderPath(report: DoctorReport): string {
  const mark = (hop: Hop) => STATUS_MARK[hopStatus(report.checks, hop)];
  const proxy = `${mark('proxy')} proxy ${report.target.proxy}`;
  const database = report.target.cluster ? `cluster ${report.target.cluster}` : 'database';
  const client = report.target.lambda ? `Lambda ${report.target.lambda}` : 'client';
  const first = `  ${client} ──${mark('client')}──▶ ${proxy} ──${mark('database')}──▶ ${database}`;
  const branchAt = `  ${client} ──${mark('client')}──▶ `.length;
  const lines = [first, `${' '.repeat(branchAt)}└──${mark('secrets')}──▶ Secrets Manager`];
  for (const hop of Object.keys(HOPS) as Hop[]) {
    const notPassing = hopProblems(report.checks, hop);
    if (notPassing.length > 0) {
      lines.push(`  ${STATUS_MARK[hopStatus(notPassing, hop)]} ${hop}: ${notPassing.map((r) => r.id).join(', ')}`);
    }
  }
  return lines.join('\n');
}

export function renderSummary(report: DoctorReport): string {
  const { pass, warn, fail, skip } = report.summary;
  return `${fail > 0 ? MARK.fail : warn > 0 ? MARK.warn : MARK.done} ${pass} passed, ${warn} warning${warn === 1 ? '' : 's'}, ${fail} failed, ${skip} skipped`;
}

/** The human report: the tutorial's four headings, then "Beyond", a summary line and the path. */
export function renderReport(report: DoctorReport): string {
  const { target } = report;
  const header = `doctor: RDS proxy ${target.proxy} in ${target.region}${target.cluster ? `, cluster ${target.cluster}` : ''}${target.lambda ? `, Lambda ${target.lambda}` : ''}`;
  const sections = (Object.keys(CHECK_GROUPS) as (keyof typeof CHECK_GROUPS)[]).map((group) => {
    const results = report.checks.filter((r) => r.group === group);
    return [CHECK_GROUPS[group], ...results.map(renderCheck)].join('\n');
  });
  return [header, '', sections.join('\n\n'), '', renderSummary(report), '', renderPath(report)].join('\n');
}
