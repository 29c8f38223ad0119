import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Reads `region` for a profile from the shared config file, without loading any SDK module. */
function regionFromConfigFile(profile: string): string | undefined {
  const file = process.env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const wanted = profile === 'default' ? ['default', 'profile default'] : [`profile ${profile}`];
  let inSection = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      inSection = wanted.includes(header[1]!.trim());
      continue;
    }
    const pair = /^region\s*=\s*(\S+)/.exec(line);
    if (inSection && pair) return pair[1];
  }
  return undefined;
}

/** The region the SDK would use: flag, environment, then the profile's config. */
export function resolveRegion(flag: string | undefined, profile: string | undefined): string | undefined {
  return (
    flag ??
    process.env.AWS_REGION ??
    process.env.AWS_DEFAULT_REGION ??
    regionFromConfigFile(profile ?? process.env.AWS_PROFILE ?? 'default')
  );
}
