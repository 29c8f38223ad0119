import type { AwsClients } from '../aws/clients.js';
import type { GlobalConfig } from '../config/global-options.js';
import type { CheckId, CheckResult } from './check.js';
import { runDoctor } from './run-doctor.js';
import { doctorChecksFor } from './target-reason-checks.js';

/**
 * For `up` when a target turns unhealthy: runs discovery and the checks, and returns the ones
 * that explain the targets' Reasons (DOCTOR.md's routing) with proxy.targets, in the report's
 * order. Where no reason is known, proxy.targets and every failing check are returned.
 */
export async function explainTargetHealth(clients: AwsClients, config: GlobalConfig, proxyName: string): Promise<CheckResult[]> {
  const { report, snapshot } = await runDoctor({ clients, region: config.region, proxyName, options: {} });
  const reasons = (snapshot.targets.ok ? snapshot.targets.value : [])
    .filter((t) => t.TargetHealth?.State !== 'AVAILABLE')
    .map((t) => t.TargetHealth?.Reason);
  const routed = new Set<CheckId>(['proxy.targets', ...reasons.flatMap((r) => doctorChecksFor(r))]);
  const known = routed.size > 1;
  return report.checks.filter((c) => (known ? routed.has(c.id) : c.id === 'proxy.targets' || c.status === 'fail'));
}
