import type { AwsClients } from '../aws/clients.js';
import { beyondChecks } from './beyond.js';
import { runChecks, summarize, type Check, type CheckResult, type DoctorOptions, type Summary } from './check.js';
import { clientChecks } from './client.js';
import { debugLogChecks } from './debug-logs.js';
import { discover, type Snapshot } from './discover.js';
import { iamRoleChecks } from './iam-role.js';
import { simulatedPermissions, type Permissions } from './permissions.js';
import { securityGroupChecks } from './security-groups.js';

/** Every check of DOCTOR.md, in the order of its groups. */
export const ALL_CHECKS: readonly Check[] = [
  ...securityGroupChecks,
  ...iamRoleChecks,
  ...clientChecks,
  ...debugLogChecks,
  ...beyondChecks,
];

/** `doctor --json` (DESIGN.md section 2). */
export interface DoctorReport {
  target: {
    proxy: string;
    region: string;
    cluster?: string;
    endpoint?: string;
    lambda?: string;
    user?: string;
    clientSecurityGroup?: string;
  };
  checks: CheckResult[];
  summary: Summary;
}

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
}

/** One discovery pass, then the checks on that snapshot. */
export async function runDoctor(request: DoctorRequest): Promise<DoctorRun> {
  const { clients, region, proxyName, options } = request;
  const permissions = request.permissions ?? simulatedPermissions(clients);
  const snapshot = await discover(clients, region, proxyName, options, {
    // The first permission question also learns whether IAM's simulator answers at all: ask it
    // while the rest of discovery runs (iam.role-reads-secret asks the same and gets this answer).
    onProxyRole: (role, proxy) => {
      for (const auth of proxy.Auth ?? []) {
        if (auth.SecretArn) void permissions.mayPerform(role, { action: 'secretsmanager:GetSecretValue', resource: auth.SecretArn }).catch(() => undefined);
      }
    },
  });
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
