import { fail, pass, type Check, type CheckContext, type Outcome } from './check.js';
import { unansweredReads } from './unanswered-reads.js';

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;

function identity({ snapshot }: CheckContext): Outcome {
  // The root cause, reported here once: the checks whose reads got no answer point here.
  const unanswered = unansweredReads(snapshot);
  if (unanswered.length > 0) {
    const who = snapshot.identity.ok ? `Account ${snapshot.identity.value.account} as ${snapshot.identity.value.arn}, but: ` : '';
    return fail(`${who}${unanswered.map((u) => sentence(u.description)).join(' ')}`, unanswered[0]!.fix);
  }
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
