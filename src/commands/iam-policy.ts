import { resolveRegion } from '../aws/region.js';
import { givenGlobalOptions, withRegion, type RawGlobalOptions } from '../config/global-options.js';
import { iamPolicyOptions, type RawIamPolicyOptions } from '../config/iam-policy-options.js';
import { leastPrivilegePolicy } from '../config/least-privilege-policy.js';
import { stackNames } from '../config/names.js';
import { partitionOf } from '../config/partition.js';
import { Output } from '../ui/output.js';
import { renderPolicy } from '../ui/policy-document.js';

/**
 * `iam-policy`: the least-privilege policy for the CLI's own user, from the table in
 * config/iam-actions.ts. It makes no AWS call: the region comes from the options or the profile,
 * the account from --account (else `*`). The output is the policy document, JSON either way (one
 * statement per line; indented with --json), so `> policy.json` saves it as it is.
 */
export async function run(options: Record<string, unknown>): Promise<void> {
  const { commands, account } = iamPolicyOptions(options as RawIamPolicyOptions);
  const given = givenGlobalOptions(options as RawGlobalOptions);
  const config = withRegion(given, await resolveRegion(given.region, given.profile));
  const policy = leastPrivilegePolicy(commands, {
    partition: partitionOf(config.region),
    region: config.region,
    account,
    names: stackNames(config.stack, config.region),
  });
  const out = await Output.create({ json: config.json, verbose: config.verbose });
  out.result(
    () => renderPolicy(policy),
    () => policy,
  );
}
