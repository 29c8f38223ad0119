import { denialsOf, fail, need, pass, skip, SkipCheck, type Check, type CheckContext, type Outcome } from './check.js';
import { grantFix } from './denials.js';
import { clientUser } from './client.js';
import { proxyArnParts } from './facts.js';
import { describeAnswer } from './permissions.js';
import { evaluatePolicies, principalMatches, statements, trustsService, type PolicyDocument } from './policy-evaluation.js';
import { isNotFoundRead } from './read.js';
import { AWS_MANAGED_SECRETS_KEY } from './readers/kms-keys.js';
import type { Read, RoleSnapshot, SecretSnapshot } from './snapshot.js';

const RDS_SERVICE = 'rds.amazonaws.com';

const json = (value: unknown) => `'${JSON.stringify(value)}'`;

/** The proxy's role, or a fail when the role it names is gone. */
function proxyRole(ctx: CheckContext): RoleSnapshot | Outcome {
  const proxy = need(ctx.snapshot.proxy);
  const role = ctx.snapshot.role;
  if (isNotFoundRead(role)) {
    return fail(
      `The proxy's role ${proxy.RoleArn} does not exist: ${role.error}`,
      `Create it, trusted by ${RDS_SERVICE}, or point the proxy at an existing one: aws rds modify-db-proxy --db-proxy-name ${proxy.DBProxyName} --role-arn <role-arn>`,
    );
  }
  return need(role);
}

const isOutcome = (v: RoleSnapshot | Outcome): v is Outcome => 'status' in v;

function roleTrust(ctx: CheckContext): Outcome {
  const role = proxyRole(ctx);
  if (isOutcome(role)) return role;
  if (trustsService(role.trustPolicy, RDS_SERVICE)) return pass(`Role ${role.name} trusts ${RDS_SERVICE} to call sts:AssumeRole.`);
  const trusted = statements(role.trustPolicy)
    .flatMap((s) => {
      const p = s.Principal as { Service?: string | string[]; AWS?: string | string[] } | undefined;
      return [p?.Service ?? [], p?.AWS ?? []].flat();
    })
    .join(', ');
  return fail(
    `Role ${role.name}'s trust policy does not let ${RDS_SERVICE} assume it (it trusts: ${trusted || 'nobody'}).`,
    `aws iam update-assume-role-policy --role-name ${role.name} --policy-document ${json({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: RDS_SERVICE }, Action: 'sts:AssumeRole' }],
    })}`,
  );
}

function secretArns(ctx: CheckContext): string[] {
  const arns = (need(ctx.snapshot.proxy).Auth ?? []).flatMap((a) => (a.SecretArn ? [a.SecretArn] : []));
  if (arns.length === 0) throw new SkipCheck('the proxy has no auth entry with a secret (see proxy.auth)');
  return arns;
}

/** The secret's resource policy, or why it is not known. */
function resourcePolicyOf(ctx: CheckContext, arn: string): Read<PolicyDocument | undefined> {
  const secret = ctx.snapshot.secrets.get(arn) ?? { ok: false, error: `secret ${arn} was not read` };
  return secret.ok ? secret.value.resourcePolicy : secret;
}

/** A Deny in the secret's own resource policy that applies to this role. */
function resourcePolicyDeny(policy: PolicyDocument | undefined, roleArn: string, account: string, secretArn: string) {
  if (!policy) return undefined;
  const denies = statements(policy).filter((s) => s.Effect === 'Deny' && principalMatches(s.Principal, roleArn, account));
  const d = evaluatePolicies([{ source: 'the secret\'s resource policy', document: { Statement: denies } }], {
    action: 'secretsmanager:GetSecretValue',
    resource: secretArn,
  });
  return d.decision === 'explicit-deny' ? d.statement : undefined;
}

async function roleReadsSecret(ctx: CheckContext): Promise<Outcome> {
  const role = proxyRole(ctx);
  if (isOutcome(role)) return role;
  const { account } = proxyArnParts(need(ctx.snapshot.proxy));
  const lines: string[] = [];
  const fixes: string[] = [];
  const unread: Extract<Read<unknown>, { ok: false }>[] = [];
  for (const arn of secretArns(ctx)) {
    const answer = await ctx.permissions.mayPerform(role, { action: 'secretsmanager:GetSecretValue', resource: arn });
    const policy = resourcePolicyOf(ctx, arn);
    const deny = policy.ok ? resourcePolicyDeny(policy.value, role.arn, account, arn) : undefined;
    if (!answer.allowed) {
      lines.push(`Role ${role.name} may not call secretsmanager:GetSecretValue on ${arn} [${describeAnswer(answer)}].`);
      fixes.push(
        `aws iam put-role-policy --role-name ${role.name} --policy-name read-proxy-secret --policy-document ${json({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: arn }],
        })}`,
      );
    } else if (deny) {
      lines.push(`The resource policy of secret ${arn} denies secretsmanager:GetSecretValue to role ${role.name}${deny.sid ? ` (statement ${deny.sid})` : ''}.`);
      fixes.push(`Remove the Deny from the secret's resource policy: aws secretsmanager get-resource-policy --secret-id ${arn}, edit, then aws secretsmanager put-resource-policy`);
    } else if (!policy.ok) {
      // Its own policy may deny what the role's policies allow: unread, it decides nothing.
      lines.push(`Role ${role.name} may call secretsmanager:GetSecretValue on ${arn} [${describeAnswer(answer)}], but the secret's resource policy could not be read: ${policy.error}.`);
      unread.push(policy);
    } else {
      lines.push(`Role ${role.name} may call secretsmanager:GetSecretValue on ${arn} [${describeAnswer(answer)}].`);
    }
  }
  if (fixes.length > 0) return fail(lines.join(' '), fixes.join('\n'));
  const denials = denialsOf(...unread);
  if (unread.length > 0) return skip(lines.join(' '), denials.length > 0 ? grantFix(denials) : undefined);
  return pass(lines.join(' '));
}

async function keyVerdict(ctx: CheckContext, role: RoleSnapshot, secret: SecretSnapshot): Promise<Outcome> {
  const keyId = secret.kmsKeyId;
  if (!keyId || keyId === AWS_MANAGED_SECRETS_KEY) {
    return pass(`Secret ${secret.name} is encrypted with the AWS managed key aws/secretsmanager.`);
  }
  const key = need(ctx.snapshot.kmsKeys.get(keyId) ?? { ok: false, error: `KMS key ${keyId} was not read` });
  if (key.keyManager === 'AWS') return pass(`Secret ${secret.name} uses the AWS managed key ${key.arn}.`);
  if (!key.enabled) {
    return fail(
      `Secret ${secret.name} is encrypted with customer key ${key.arn}, which is ${key.keyState}.`,
      key.keyState === 'PendingDeletion'
        ? `aws kms cancel-key-deletion --key-id ${key.keyId} && aws kms enable-key --key-id ${key.keyId}`
        : `aws kms enable-key --key-id ${key.keyId}`,
    );
  }
  const viaService = `secretsmanager.${ctx.snapshot.region}.amazonaws.com`;
  const context = { 'kms:ViaService': viaService };
  const answer = await ctx.permissions.mayPerform(role, { action: 'kms:Decrypt', resource: key.arn, context });
  if (!answer.allowed) {
    return fail(
      `Role ${role.name} may not call kms:Decrypt on ${key.arn} via ${viaService} [${describeAnswer(answer)}].`,
      `aws iam put-role-policy --role-name ${role.name} --policy-name decrypt-proxy-secret --policy-document ${json({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'kms:Decrypt', Resource: key.arn, Condition: { StringEquals: { 'kms:ViaService': viaService } } },
        ],
      })}`,
    );
  }
  if (!key.policy.ok) {
    return skip(
      `Role ${role.name} may call kms:Decrypt on ${key.arn} [${describeAnswer(answer)}], but the key policy could not be read: ${key.policy.error}`,
      key.policy.denied ? grantFix([key.policy.denied]) : undefined,
    );
  }
  const { account } = proxyArnParts(need(ctx.snapshot.proxy));
  const applicable = statements(key.policy.value).filter((s) => principalMatches(s.Principal, role.arn, account));
  const decision = evaluatePolicies([{ source: `the key policy of ${key.arn}`, document: { Statement: applicable } }], {
    action: 'kms:Decrypt',
    resource: key.arn,
    context: { ...context, 'kms:CallerAccount': account },
  });
  if (decision.decision !== 'allowed') {
    return fail(
      `The key policy of ${key.arn} ${decision.decision === 'explicit-deny' ? 'denies' : 'does not grant'} kms:Decrypt to the account ${account} or role ${role.name}.`,
      `Add to the key policy (aws kms put-key-policy --key-id ${key.keyId} --policy-name default --policy file://policy.json) a statement: ${JSON.stringify(
        { Effect: 'Allow', Principal: { AWS: role.arn }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': viaService } } },
      )}`,
    );
  }
  return pass(
    `Secret ${secret.name} uses customer key ${key.arn} (enabled); role ${role.name} may decrypt with it via ${viaService} [${describeAnswer(answer)}] and the key policy allows it.`,
  );
}

async function roleKms(ctx: CheckContext): Promise<Outcome> {
  const role = proxyRole(ctx);
  if (isOutcome(role)) return role;
  const outcomes: Outcome[] = [];
  for (const arn of secretArns(ctx)) {
    const secret = ctx.snapshot.secrets.get(arn);
    if (!secret?.ok) {
      throw new SkipCheck(`secret ${arn} could not be read (see secret.shape)${secret ? `: ${secret.error}` : ''}`, secret?.denied && grantFix([secret.denied]));
    }
    outcomes.push(await keyVerdict(ctx, role, secret.value));
  }
  const worst = outcomes.find((o) => o.status === 'fail') ?? outcomes.find((o) => o.status === 'skip');
  const evidence = outcomes.map((o) => o.evidence).join(' ');
  if (worst) return { status: worst.status, evidence, ...(worst.fix ? { fix: worst.fix } : {}) };
  return pass(evidence);
}

/**
 * End-to-end IAM (DefaultAuthScheme IAM_AUTH): the proxy logs in to the database as the user with
 * IAM, so its role needs rds-db:connect on the cluster's resource id (`cluster-…`), not the proxy's.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-iam-setup.html
 */
async function roleDbConnect(ctx: CheckContext): Promise<Outcome> {
  const proxy = need(ctx.snapshot.proxy);
  if (proxy.DefaultAuthScheme !== 'IAM_AUTH') {
    return pass(`Proxy ${proxy.DBProxyName} logs in to the database with secrets (DefaultAuthScheme ${proxy.DefaultAuthScheme ?? 'NONE'}): its role needs no rds-db:connect.`);
  }
  const who = clientUser(ctx);
  if (!who) return skip('No database user given.', 'Pass --user <db-user> (the user your clients sign tokens for), or --lambda with PGUSER set.');
  const role = proxyRole(ctx);
  if (isOutcome(role)) return role;
  const cluster = need(ctx.snapshot.cluster);
  if (!cluster?.DbClusterResourceId) throw new SkipCheck('no Aurora cluster is registered as target (see proxy.targets)');
  const { partition, account } = proxyArnParts(proxy);
  const resource = `arn:${partition}:rds-db:${ctx.snapshot.region}:${account}:dbuser:${cluster.DbClusterResourceId}/${who.user}`;
  const answer = await ctx.permissions.mayPerform(role, { action: 'rds-db:connect', resource });
  if (answer.allowed) {
    return pass(`Role ${role.name} may rds-db:connect on ${resource} [${describeAnswer(answer)}]: the proxy can log in to the database as ${who.user} with IAM.`);
  }
  return fail(
    `Role ${role.name} may not rds-db:connect on ${resource} [${describeAnswer(answer)}]: with end-to-end IAM the proxy logs in to the database as ${who.user}, naming the cluster's resource id ${cluster.DbClusterResourceId} (not the proxy's prx- id).`,
    `aws iam put-role-policy --role-name ${role.name} --policy-name user-${who.user} --policy-document ${json({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'rds-db:connect', Resource: resource }],
    })} (for a stack of rdsproxy-setup: rdsproxy-setup user add ${who.user})`,
  );
}

export const iamRoleChecks: Check[] = [
  { id: 'iam.role-trust', title: 'The proxy\'s role trusts rds.amazonaws.com', group: 'iam-role', run: roleTrust },
  { id: 'iam.role-reads-secret', title: 'The proxy\'s role may read the secret', group: 'iam-role', run: roleReadsSecret },
  { id: 'iam.role-kms', title: 'The proxy\'s role may decrypt the secret', group: 'iam-role', run: roleKms },
  { id: 'iam.role-db-connect', title: 'With end-to-end IAM, the proxy\'s role may rds-db:connect as the user', group: 'iam-role', run: roleDbConnect },
];
