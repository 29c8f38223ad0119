import { UsageError } from '../errors.js';
import { resolveRegion } from '../aws/region.js';
import { DEFAULT_STACK } from './defaults.js';
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

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;

export function globalConfig(raw: RawGlobalOptions): GlobalConfig {
  const stack = rule.stackName(raw.name ?? process.env.RDSPROXY_STACK ?? DEFAULT_STACK);
  const region = resolveRegion(raw.region, raw.profile);
  if (!region) {
    throw new UsageError('No AWS region: pass --region, set AWS_REGION, or set region in your AWS profile.');
  }
  if (!REGION.test(region)) throw new UsageError(`--region "${region}" is not an AWS region name such as eu-west-1.`);
  const endpoint = raw.endpointUrl ?? process.env.AWS_ENDPOINT_URL;
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) {
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
