/** Keys whose values are secrets in any AWS request or response we log. */
const SECRET_KEY = /password|secretstring|secretbinary|token|credentials|signature/i;

export const REDACTED = '<redacted>';

/** A copy of an AWS input or output safe to log: secret-bearing keys replaced. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === '$metadata') continue;
    out[key] = SECRET_KEY.test(key) ? REDACTED : redact(v, depth + 1);
  }
  return out;
}
