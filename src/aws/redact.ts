/** Keys whose values are secrets in any AWS request or response we log. */
const SECRET_KEY = /password|secretstring|secretbinary|token|credentials|signature/i;

export const REDACTED = '<redacted>';

/** How deep a value is shown; what lies deeper is not, since its keys go unchecked. */
const MAX_DEPTH = 8;

/** A password literal in SQL text sent to the Data API (`… PASSWORD '…'`; the user commands send only its SCRAM verifier). */
const SQL_PASSWORD = /(\bPASSWORD\s+)'(?:[^']|'')*'/gi;

/**
 * A Lambda function's environment (`Environment.Variables`): grant sends the whole of it back,
 * and a user's own variables may hold anything secret, so only their names are shown.
 */
function namesOnly(variables: object): Record<string, string> {
  return Object.fromEntries(Object.keys(variables).map((name) => [name, REDACTED]));
}

/** A copy of an AWS input or output safe to log: secret-bearing keys replaced, bytes counted, not shown. */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) return `<${value.byteLength} bytes>`;
  if (depth > MAX_DEPTH) return '<not shown>';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === '$metadata') continue;
    if (key === 'sql' && typeof v === 'string') out[key] = v.replace(SQL_PASSWORD, `$1'${REDACTED}'`);
    else if (key === 'Variables' && v !== null && typeof v === 'object') out[key] = namesOnly(v);
    else out[key] = SECRET_KEY.test(key) ? REDACTED : redact(v, depth + 1);
  }
  return out;
}
