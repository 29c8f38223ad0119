import type { PolicyDocument } from '../config/least-privilege-policy.js';

/** JSON on one line, with a space after each comma and colon. */
function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

/**
 * A policy document as valid JSON with one statement per line, to read in a terminal and to diff
 * in the README; `--json` prints the same document indented.
 */
export function renderPolicy(policy: PolicyDocument): string {
  const statements = policy.Statement.map((s) => `    ${inline(s)}`).join(',\n');
  return ['{', `  "Version": ${JSON.stringify(policy.Version)},`, '  "Statement": [', statements, '  ]', '}'].join('\n');
}
