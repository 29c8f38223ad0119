import type { RawGlobalOptions } from '../config/global-options.js';
import { stackNames } from '../config/names.js';
import * as rule from '../config/rules.js';
import { ExitCode, UsageError } from '../errors.js';
import { reportJson } from '../doctor/report.js';
import { runDoctor } from '../doctor/run-doctor.js';
import type { DoctorOptions } from '../doctor/snapshot.js';
import { renderReport, renderSummary } from '../ui/doctor-report.js';
import { commandContext } from './command-context.js';

function doctorOptions(options: Record<string, unknown>): DoctorOptions {
  const text = (key: string): string | undefined => {
    const value = options[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${key} needs a value.`);
    return value.trim();
  };
  const clientSg = text('clientSg');
  const user = text('user');
  const lambda = text('lambda');
  return {
    user: user === undefined ? undefined : rule.databaseUser(user, '--user'),
    lambda: lambda === undefined ? undefined : rule.lambdaFunction(lambda, '--lambda'),
    clientSecurityGroupId: clientSg === undefined ? undefined : rule.securityGroupId(clientSg, '--client-sg'),
  };
}

/** `doctor`: diagnose any RDS Proxy for PostgreSQL; exit 1 when a check fails. */
export async function run(options: Record<string, unknown>): Promise<void> {
  const doctor = doctorOptions(options);
  const proxyOption = options.proxy;
  if (proxyOption !== undefined && (typeof proxyOption !== 'string' || proxyOption.trim() === '')) {
    throw new UsageError('--proxy needs the name of a proxy.');
  }
  const { config, out, clients } = await commandContext(options as RawGlobalOptions);
  const proxyName =
    typeof proxyOption === 'string' ? rule.proxyName(proxyOption.trim(), '--proxy') : stackNames(config.stack, config.region).proxy;
  try {
    const activity = out.start(`diagnosing RDS proxy ${proxyName} in ${config.region}`);
    const { report } = await runDoctor({ clients, region: config.region, proxyName, options: doctor });
    const line = renderSummary(report);
    if (report.summary.fail > 0) activity.fail(line.slice(2));
    else activity.succeed(line.slice(2));
    out.result(
      () => renderReport(report),
      () => reportJson(report),
    );
    // The report is the output; a failing check only sets the exit code.
    if (report.summary.fail > 0) process.exitCode = ExitCode.failure;
  } finally {
    out.close();
  }
}
