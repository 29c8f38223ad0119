import { loadConfig, NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS } from '@smithy/core/config';

/**
 * The region to work in: the flag, then AWS_REGION or AWS_DEFAULT_REGION, then the profile's
 * `region` read by the SDK's own shared-config loader (the --profile or AWS_PROFILE profile,
 * else default; AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE honoured). Undefined when none
 * is set: unlike the SDK, never asks the instance metadata service.
 */
export async function resolveRegion(flag: string | undefined, profile: string | undefined): Promise<string | undefined> {
  if (flag !== undefined) return flag;
  const region = loadConfig<string | undefined>(
    {
      environmentVariableSelector: (env) => env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
      configFileSelector: NODE_REGION_CONFIG_OPTIONS.configFileSelector,
      default: undefined,
    },
    { ...NODE_REGION_CONFIG_FILE_OPTIONS, profile },
  );
  return region();
}
