import { createAwsClients, type AwsClients } from '../aws/clients.js';
import { globalConfig, type GlobalConfig, type RawGlobalOptions } from '../config/global-options.js';
import { Output } from '../ui/output.js';

/** What every command starts from: validated global options, the output object, AWS clients. */
export interface CommandContext {
  config: GlobalConfig;
  out: Output;
  clients: AwsClients;
}

/** Validates the global options (exit 2 before any AWS call) and builds output and clients. */
export async function commandContext(raw: RawGlobalOptions): Promise<CommandContext> {
  const config = globalConfig(raw);
  const out = await Output.create({ json: config.json, verbose: config.verbose });
  const clients = createAwsClients({
    region: config.region,
    profile: config.profile,
    endpoint: config.endpoint,
    log: config.verbose ? (line) => out.verbose(line) : undefined,
  });
  return { config, out, clients };
}
