import { UsageError } from '../errors.js';
import { DEFAULT_STACK } from './defaults.js';
import { stackNames } from './names.js';
import * as rule from './rules.js';

/** Options every command takes (DESIGN.md section 2), as commander hands them over. */
export interface RawGlobalOptions {
  name?: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  json?: boolean;
  yes?: boolean;
  verbose?: boolean;
}

export interface GlobalConfig {
  stack: string;
  region: string;
  profile?: string;
  endpoint?: string;
  json: boolean;
  yes: boolean;
  verbose: boolean;
}

/** The global options as the user gave them, validated; the region may still be unresolved. */
export type GivenGlobalOptions = Omit<GlobalConfig, 'region'> & { region?: string };

/** A URL the SDK can send to: http(s), with a host, parsed as the SDK parses it. */
function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Checks what the user typed (stack name, --region if given, endpoint URL); reads no AWS config. */
export function givenGlobalOptions(raw: RawGlobalOptions): GivenGlobalOptions {
  const stack = rule.stackName(raw.name ?? process.env.RDSPROXY_STACK ?? DEFAULT_STACK);
  const region = raw.region === undefined ? undefined : rule.regionName(raw.region);
  const endpoint = raw.endpointUrl ?? process.env.AWS_ENDPOINT_URL;
  if (endpoint !== undefined && !isHttpUrl(endpoint)) {
    throw new UsageError(`--endpoint-url "${endpoint}" is not an http(s) URL.`);
  }
  return {
    stack,
    region,
    profile: raw.profile,
    endpoint,
    json: raw.json ?? false,
    yes: raw.yes ?? false,
    verbose: raw.verbose ?? false,
  };
}

/**
 * The options with the region resolved from flag, environment or profile (none is exit 2). With
 * the region known, every name derived from the stack is known too, and checked against AWS's rules.
 */
export function withRegion(given: GivenGlobalOptions, region: string | undefined): GlobalConfig {
  if (!region) {
    throw new UsageError('No AWS region: pass --region, set AWS_REGION, or set region in your AWS profile.');
  }
  const resolved = rule.regionName(region);
  rule.stackDerivedNames(stackNames(given.stack, resolved));
  return { ...given, region: resolved };
}
