import type { CheckId } from '../doctor/check.js';

/** "Run `rdsproxy-setup doctor --name orders-dev`: checks a, b explain this." */
export function doctorHint(stack: string, checks: readonly CheckId[]): string {
  const doctor = `rdsproxy-setup doctor --name ${stack}`;
  if (checks.length === 0) return `Run \`${doctor}\` to see what is wrong.`;
  const which = checks.length === 1 ? `check ${checks[0]} explains` : `checks ${checks.join(', ')} explain`;
  return `Run \`${doctor}\`: ${which} this.`;
}
