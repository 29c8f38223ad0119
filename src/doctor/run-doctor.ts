import type { AwsClients } from '../aws/clients.js';
import { ALL_CHECKS } from './all-checks.js';
import type { Check, Permissions } from './check.js';
import { startDiscovery, type Discovery } from './discovery.js';
import { simulatedPermissions } from './permissions.js';
import type { DoctorReport } from './report.js';
import { runChecks, summarize } from './run-checks.js';
import type { DoctorOptions, Snapshot } from './snapshot.js';

export interface DoctorRun {
  report: DoctorReport;
  snapshot: Snapshot;
}

export interface DoctorRequest {
  clients: AwsClients;
  region: string;
  proxyName: string;
  options: DoctorOptions;
  checks?: readonly Check[];
  permissions?: Permissions;
  /** When the run starts (the end of the log window); now unless a test sets it. */
  now?: number;
}

/**
 * The first permission question also learns whether IAM's simulator answers at all: ask it as
 * soon as the proxy's role is read, while the rest of discovery runs (iam.role-reads-secret asks
 * the same question and gets this answer).
 */
function askEarly(discovery: Discovery, permissions: Permissions): void {
  void Promise.all([discovery.pending.proxy, discovery.pending.role])
    .then(([proxy, role]) => {
      if (!proxy.ok || !role.ok) return;
      for (const auth of proxy.value.Auth ?? []) {
        if (auth.SecretArn) void permissions.mayPerform(role.value, { action: 'secretsmanager:GetSecretValue', resource: auth.SecretArn }).catch(() => undefined);
      }
    })
    // A failed read surfaces through the snapshot; this early question is only a head start.
    .catch(() => undefined);
}

/** One discovery pass, then the checks on that snapshot. */
export async function runDoctor(request: DoctorRequest): Promise<DoctorRun> {
  const { clients, region, proxyName, options } = request;
  const permissions = request.permissions ?? simulatedPermissions(clients);
  const discovery = startDiscovery({ clients, region, proxyName, options, now: request.now ?? Date.now() });
  askEarly(discovery, permissions);
  const snapshot = await discovery.snapshot;
  const checks = await runChecks(request.checks ?? ALL_CHECKS, { snapshot, options, permissions });
  const proxy = snapshot.proxy.ok ? snapshot.proxy.value : undefined;
  const cluster = snapshot.cluster.ok ? snapshot.cluster.value : undefined;
  return {
    snapshot,
    report: {
      target: {
        proxy: proxyName,
        region,
        ...(cluster?.DBClusterIdentifier ? { cluster: cluster.DBClusterIdentifier } : {}),
        ...(proxy?.Endpoint ? { endpoint: proxy.Endpoint } : {}),
        ...(options.lambda ? { lambda: options.lambda } : {}),
        ...(options.user ? { user: options.user } : {}),
        ...(options.clientSecurityGroupId ? { clientSecurityGroup: options.clientSecurityGroupId } : {}),
      },
      checks,
      summary: summarize(checks),
    },
  };
}
