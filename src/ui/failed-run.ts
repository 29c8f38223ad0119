import type { DestroyReport } from '../steps/destroy.js';
import type { StepResource } from '../steps/events.js';
import { describeLeft } from './left-resources.js';
import type { Output } from './output.js';

const named = (r: StepResource) => `${r.title} ${r.id}`;

/** What `up --no-rollback` kept after a failure, and how to go on from there. */
export function renderKept(created: readonly StepResource[], stack: string, out: Output): void {
  if (created.length === 0) return;
  out.warn(`Kept what this run created (--no-rollback): ${created.map(named).join(', ')}.`);
  out.info(`Run \`rdsproxy-setup up --name ${stack}\` to finish the stack, or \`teardown\` to remove it.`);
}

/** What a rollback undid, kept on purpose, and could not undo (with the command that does). */
export function renderRollback(report: DestroyReport, out: Output): void {
  if (report.deleted.length > 0) out.info(`Rolled back: ${report.deleted.map((d) => d.id).join(', ')}.`);
  for (const kept of report.kept) out.info(`Kept ${kept.kind} ${kept.id}: ${kept.detail}`);
  for (const left of report.left) {
    out.warn(`Could not undo ${describeLeft(left)}`);
  }
}
