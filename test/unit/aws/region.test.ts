import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveRegion } from '../../../src/aws/region.js';

let dir: string;

/** Writes the shared config file the SDK's loader reads (AWS_CONFIG_FILE). */
function awsConfig(text: string): void {
  writeFileSync(join(dir, 'config'), text);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'region-'));
  vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'));
  vi.stubEnv('AWS_REGION', undefined);
  vi.stubEnv('AWS_DEFAULT_REGION', undefined);
  vi.stubEnv('AWS_PROFILE', undefined);
});

afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe('resolveRegion', () => {
  it('takes the --region flag over the environment and the profile', async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    awsConfig('[default]\nregion = us-west-2\n');

    expect(await resolveRegion('ap-south-1', undefined)).toBe('ap-south-1');
  });

  it('takes AWS_REGION over AWS_DEFAULT_REGION and the profile', async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('AWS_DEFAULT_REGION', 'eu-central-1');
    awsConfig('[default]\nregion = us-west-2\n');

    expect(await resolveRegion(undefined, undefined)).toBe('eu-west-1');
  });

  it('takes AWS_DEFAULT_REGION when AWS_REGION is not set, over the profile', async () => {
    vi.stubEnv('AWS_DEFAULT_REGION', 'eu-central-1');
    awsConfig('[default]\nregion = us-west-2\n');

    expect(await resolveRegion(undefined, undefined)).toBe('eu-central-1');
  });

  it("reads the default profile's region from the config file when nothing else is set", async () => {
    awsConfig('[profile other]\nregion = sa-east-1\n\n[default]\noutput = json\nregion = us-west-2\n');

    expect(await resolveRegion(undefined, undefined)).toBe('us-west-2');
  });

  it('reads the region of the profile given by --profile', async () => {
    awsConfig('[default]\nregion = us-west-2\n\n[profile orders]\nregion = eu-north-1\n');

    expect(await resolveRegion(undefined, 'orders')).toBe('eu-north-1');
  });

  it('reads the region of the AWS_PROFILE profile, unless --profile names another', async () => {
    vi.stubEnv('AWS_PROFILE', 'orders');
    awsConfig('[default]\nregion = us-west-2\n\n[profile orders]\nregion = eu-north-1\n\n[profile billing]\nregion = ca-central-1\n');

    expect(await resolveRegion(undefined, undefined)).toBe('eu-north-1');
    expect(await resolveRegion(undefined, 'billing')).toBe('ca-central-1');
  });

  it('reads a region set in the shared credentials file, as the SDK does', async () => {
    writeFileSync(join(dir, 'credentials'), '[default]\naws_access_key_id = AKIAEXAMPLE\nregion = eu-south-1\n');

    expect(await resolveRegion(undefined, undefined)).toBe('eu-south-1');
  });

  it('is undefined when no flag, variable or profile sets a region', async () => {
    awsConfig('[default]\noutput = json\n');

    expect(await resolveRegion(undefined, undefined)).toBeUndefined();
    expect(await resolveRegion(undefined, 'missing')).toBeUndefined();
  });

  it('is undefined when there is no config file at all', async () => {
    expect(await resolveRegion(undefined, undefined)).toBeUndefined();
  });
});
