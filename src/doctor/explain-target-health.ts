import type { AwsClients } from '../aws/clients.js';
import type { GlobalConfig } from '../config/global-options.js';
import { doctorChecksFor } from '../waiters/target-health-reasons.js';
import { renderCheck } from './report.js';
import { ALL_CHECKS, runDoctor } from './run-doctor.js';

/**
 * For `up` when a target turns unhealthy: runs discovery and the checks that explain the
 * target's Reason (DOCTOR.md's routing), and returns their rendered lines. Where the reason is
 * unknown, every failing check is shown.
 */
export async function explainTargetHealth(clients: AwsClients, config: GlobalConfig, proxyName: string): Promise<string> {
  const { report, snapshot } = await runDoctor({ clients, region: config.region, proxyName, options: {} });
  const reasons = (snapshot.targets.ok ? snapshot.targets.value : [])
    .filter((t) => t.TargetHealth?.State !== 'AVAILABLE')
    .map((t) => t.TargetHealth?.Reason);
  const routed = new Set<string>(['proxy.targets', ...reasons.flatMap((r) => doctorChecksFor(r))]);
  const known = routed.size > 1;
  const shown = report.checks.filter((c) => (known ? routed.has(c.id) : c.id === 'proxy.targets' || c.status === 'fail'));
  const order = new Map(ALL_CHECKS.map((c, i) => [c.id, i]));
  return shown
    .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0))
    .map(renderCheck)
    .join('\n');
}
