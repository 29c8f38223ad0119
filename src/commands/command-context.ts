import { createAwsClients, type AwsClients } from '../aws/clients.js';
import { resolveRegion } from '../aws/region.js';
import { stepTiming } from '../config/timing.js';
import { givenGlobalOptions, withRegion, type GlobalConfig, type RawGlobalOptions } from '../config/global-options.js';
import { stackNames } from '../config/names.js';
import { newRunId } from '../config/run-id.js';
import type { StackSettings } from '../config/up-config.js';
import type { BuildContext, ReadContext } from '../steps/step.js';
import type { StackLeaseSettings } from '../lease/lease-context.js';
import { leaseNotices } from '../ui/lease-events.js';
import { Output } from '../ui/output.js';

/** What every command starts from: validated global options, the output object, AWS clients. */
export interface CommandContext {
  config: GlobalConfig;
  out: Output;
  clients: AwsClients;
  /** This run's id: named in the stack's lease, tagged on what the run creates. */
  runId: string;
}

/**
 * Validates the global options and resolves the region (exit 2 before any AWS call), then builds
 * output and clients.
 */
export async function commandContext(raw: RawGlobalOptions): Promise<CommandContext> {
  const given = givenGlobalOptions(raw);
  const config = withRegion(given, await resolveRegion(given.region, given.profile));
  const out = await Output.create({ json: config.json, verbose: config.verbose });
  const clients = createAwsClients({
    region: config.region,
    profile: config.profile,
    endpoint: config.endpoint,
    log: config.verbose ? (line) => out.verbose(line) : undefined,
  });
  return { config, out, clients, runId: newRunId() };
}

/** What `status` and `teardown` read the stack with: its names, not the options `up` was given. */
export function readContext(command: CommandContext, signal: AbortSignal): ReadContext {
  const { config, clients } = command;
  return {
    config,
    names: stackNames(config.stack, config.region),
    clients,
    resources: {},
    signal,
    timing: stepTiming(),
    progress: () => undefined,
  };
}

/** What a writing command takes the stack's lease with: this run's id, and its notices on stderr. */
export function leaseSettings(command: CommandContext): StackLeaseSettings {
  const { config, clients, out, runId } = command;
  return { clients, stack: config.stack, region: config.region, runId, notify: leaseNotices(out, config.stack) };
}

/** What `up` builds the stack with: the read context and the validated settings. */
export function buildContext(command: CommandContext, settings: StackSettings, signal: AbortSignal): BuildContext {
  return { ...readContext(command, signal), settings, runId: command.runId };
}
