import type { CheckId, CheckResult } from '../doctor/check.js';
import { runDoctor } from '../doctor/run-doctor.js';
import { ALL_CHECKS } from '../doctor/all-checks.js';
import type { DoctorOptions } from '../doctor/snapshot.js';
import type { CommandContext } from './command-context.js';

/** The doctor's checks of the client's path to the proxy (DOCTOR.md groups 1 and 3). */
const CLIENT_CHECKS: readonly CheckId[] = [
  'sg.client-to-proxy',
  'client.tls',
  'client.endpoint',
  'client.connect-permission',
  'client.same-vpc',
  'client.user-matches',
];

/** The proof that ends a grant: the doctor's client checks on the wired client. */
export async function clientChecks(command: CommandContext, proxyName: string, options: DoctorOptions): Promise<CheckResult[]> {
  const { report } = await runDoctor({
    clients: command.clients,
    region: command.config.region,
    proxyName,
    options,
    checks: ALL_CHECKS.filter((c) => CLIENT_CHECKS.includes(c.id)),
  });
  return report.checks;
}
