import { fail, need, pass, skip, SkipCheck, type Check, type CheckContext, type Outcome } from './check.js';
import { grantFix } from './denials.js';

function secretShape(ctx: CheckContext): Outcome {
  const proxy = need(ctx.snapshot.proxy);
  const arns = (proxy.Auth ?? []).flatMap((a) => (a.SecretArn ? [a.SecretArn] : []));
  if (arns.length === 0) throw new SkipCheck('the proxy has no auth entry with a secret (see proxy.auth)');
  const outcomes = arns.map((arn): Outcome => {
    const read = ctx.snapshot.secrets.get(arn);
    if (read && !read.ok && read.code === 'ResourceNotFoundException') {
      return fail(`Secret ${arn} does not exist.`, `Create the secret again, then point the proxy at it: aws rds modify-db-proxy --db-proxy-name ${proxy.DBProxyName} --auth '[{"AuthScheme":"SECRETS","SecretArn":"<new-secret-arn>","IAMAuth":"REQUIRED"}]'`);
    }
    const secret = need(read ?? { ok: false, error: `secret ${arn} was not read` });
    if (secret.deletedDate) {
      return fail(
        `Secret ${secret.name} is scheduled for deletion (since ${secret.deletedDate.toISOString()}): the proxy cannot read it.`,
        `aws secretsmanager restore-secret --secret-id ${secret.arn}`,
      );
    }
    if (!secret.value.ok) {
      return skip(
        `Secret ${secret.name} exists, but its value could not be read with your credentials (${secret.value.error}), so its keys were not checked.`,
        secret.value.denied && grantFix([secret.value.denied]),
      );
    }
    const shape = secret.value.value;
    const missingKeys = ['username', 'password'].filter((k) => !shape.keys.includes(k));
    if (!shape.json || missingKeys.length > 0) {
      return fail(
        shape.json
          ? `Secret ${secret.name} has keys ${shape.keys.join(', ') || '(none)'} but lacks ${missingKeys.join(' and ')}.`
          : `Secret ${secret.name}'s value is not a JSON object.`,
        `aws secretsmanager put-secret-value --secret-id ${secret.arn} --secret-string '{"username":"<db-user>","password":"<its-password>"}'`,
      );
    }
    return pass(`Secret ${secret.name} holds JSON with username "${shape.username ?? '?'}" and a password (not shown).`);
  });
  const worst = outcomes.find((o) => o.status === 'fail') ?? outcomes.find((o) => o.status === 'skip');
  const evidence = outcomes.map((o) => o.evidence).join(' ');
  return worst ? { ...worst, evidence } : pass(evidence);
}

/** Beyond the tutorial: the secret the proxy logs in with. */
export const secretChecks: Check[] = [
  { id: 'secret.shape', title: 'The secret exists and holds username and password', group: 'beyond', run: secretShape },
];
