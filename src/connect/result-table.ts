import type { QueryResult } from './tls-client.js';

function cell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** psql-style aligned table with a row count; one line per row, newlines in values shown as ⏎. */
export function resultTable(result: QueryResult): string {
  if (result.columns.length === 0) return `(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`;
  const body = result.rows.map((row) => result.columns.map((c) => cell(row[c]).replace(/\r?\n/g, '⏎')));
  const widths = result.columns.map((c, i) => Math.max(c.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((v, i) => v.padEnd(widths[i]!)).join(' | ').trimEnd();
  return [
    line(result.columns),
    widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...body.map(line),
    `(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`,
  ].join('\n');
}
