import { fail, pass, type Check, type CheckContext, type Outcome } from './check.js';

function identity({ snapshot }: CheckContext): Outcome {
  if (!snapshot.identity.ok) {
    return fail(
      `Credentials did not resolve: ${snapshot.identity.error}`,
      'Configure credentials (aws configure, --profile, or AWS_PROFILE / AWS_ACCESS_KEY_ID), then check them with: aws sts get-caller-identity',
    );
  }
  const { account, arn } = snapshot.identity.value;
  return pass(`Account ${account} as ${arn}, region ${snapshot.region}.`);
}

/** Beyond the tutorial: whose credentials, in which region. */
export const accountChecks: Check[] = [
  { id: 'account.identity', title: 'Credentials and region', group: 'beyond', run: identity },
];
