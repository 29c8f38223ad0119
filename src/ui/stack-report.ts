import type { StepAction } from '../steps/events.js';
import type { StackOutputs } from '../steps/outputs.js';

/** One row of `up` and `status` (DESIGN.md section 2, `resources[]`). */
export interface StackRow {
  step: string;
  id: string;
  arn?: string;
  action: StepAction;
  state: string;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  return rows.map((r) => r.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd()).join('\n');
}

export function renderStackTable(rows: readonly StackRow[]): string {
  return table([['STEP', 'RESOURCE', 'ACTION', 'STATE'], ...rows.map((r) => [r.step, r.id, r.action, r.state])]);
}

const OUTPUT_LABELS: [keyof StackOutputs, string][] = [
  ['proxyEndpoint', 'Proxy endpoint'],
  ['proxyArn', 'Proxy ARN'],
  ['proxyResourceId', 'Proxy resource id'],
  ['secretArn', 'Secret ARN'],
  ['clusterEndpoint', 'Cluster endpoint'],
  ['connectResourceArn', 'rds-db:connect resource'],
];

export function renderOutputs(outputs: StackOutputs): string {
  const rows = OUTPUT_LABELS.filter(([key]) => outputs[key]).map(([key, label]) => [`${label}:`, outputs[key]!]);
  return rows.length > 0 ? table(rows) : '';
}
