/** Keys whose values are secrets in any AWS request or response we log. */
const SECRET_KEY = /password|secretstring|secretbinary|token|credentials|signature/i;

export const REDACTED = '<redacted>';

/** A password literal in SQL text sent to the Data API (`… PASSWORD '…'`; the user commands send only its SCRAM verifier). */
const SQL_PASSWORD = /(\bPASSWORD\s+)'(?:[^']|'')*'/gi;

/** A copy of an AWS input or output safe to log: secret-bearing keys replaced. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === '$metadata') continue;
    if (key === 'sql' && typeof v === 'string') out[key] = v.replace(SQL_PASSWORD, `$1'${REDACTED}'`);
    else out[key] = SECRET_KEY.test(key) ? REDACTED : redact(v, depth + 1);
  }
  return out;
}
