import type { CheckResult } from '../../../src/doctor/check.js';
import type { DoctorReport } from '../../../src/doctor/report.js';
import { summarize } from '../../../src/doctor/run-checks.js';

/** A check result whose title and evidence name its id. */
export const result = (id: CheckResult['id'], group: CheckResult['group'], status: CheckResult['status'], fix?: string): CheckResult => ({
  id,
  group,
  title: `title of ${id}`,
  status,
  evidence: `evidence of ${id}`,
  ...(fix ? { fix } : {}),
});

/** A report on proxy orders-proxy in front of cluster orders-db with these results. */
export function report(checks: CheckResult[]): DoctorReport {
  return { target: { proxy: 'orders-proxy', region: 'us-east-1', cluster: 'orders-db' }, checks, summary: summarize(checks) };
}
