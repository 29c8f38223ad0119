import type { DBProxyTarget } from '@aws-sdk/client-rds';
import { fail, need, needReads, pass, SkipCheck, warn, type Check, type CheckContext, type CheckStatus, type Outcome } from './check.js';
import { databaseFacts, subnetsById, type DatabaseFacts } from './facts.js';
import { isNotFoundRead } from './read.js';
import { doctorChecksFor } from './target-reason-checks.js';

/** A proxy subnet needs room for the proxy's network interfaces as it scales. */
export const MIN_FREE_ADDRESSES = 10;

function proxyStatus({ snapshot }: CheckContext): Outcome {
  const name = snapshot.proxyName;
  if (isNotFoundRead(snapshot.proxy)) {
    return fail(
      `No RDS proxy named ${name} in ${snapshot.region}.`,
      `List the proxies there: aws rds describe-db-proxies --region ${snapshot.region} --query 'DBProxies[].DBProxyName'; or create one: rdsproxy-setup up --name <stack>`,
    );
  }
  const proxy = need(snapshot.proxy);
  const seen = `Proxy ${name} is ${proxy.Status}, engine family ${proxy.EngineFamily}, endpoint ${proxy.Endpoint}`;
  if (proxy.EngineFamily !== 'POSTGRESQL') {
    return fail(`${seen}: doctor diagnoses PostgreSQL proxies.`, 'Point doctor at a proxy with engine family POSTGRESQL (--proxy <name>).');
  }
  switch (proxy.Status) {
    case 'available':
      return pass(`${seen}.`);
    case 'incompatible-network':
      return fail(
        `${seen}: the proxy cannot run in its network — a subnet was deleted, ran out of free addresses, or its VPC no longer matches.`,
        `See proxy.subnets; a proxy's subnets cannot be changed, so free addresses in them or recreate the proxy in subnets of ${proxy.VpcId} with free addresses in at least two Availability Zones.`,
      );
    case 'insufficient-resource-limits':
      return fail(
        `${seen}: the account hit a limit the proxy needs (network interfaces per Region, or proxies per account).`,
        'Raise the quota in Service Quotas (Amazon EC2 "Network interfaces per Region", Amazon RDS "Proxies") or delete unused proxies or network interfaces; the proxy recovers by itself.',
      );
    default:
      return fail(
        `${seen}, not available.`,
        `Wait until it is available (aws rds describe-db-proxies --db-proxy-name ${name} --query 'DBProxies[0].Status') and run doctor again.`,
      );
  }
}

function proxyAuth({ snapshot }: CheckContext): Outcome {
  const proxy = need(snapshot.proxy);
  const entries = proxy.Auth ?? [];
  const describe = entries
    .map((a) => `${a.AuthScheme ?? '?'} ${a.SecretArn ?? '(no secret)'} IAMAuth ${a.IAMAuth ?? '?'}`)
    .join('; ');
  const good = entries.find((a) => a.AuthScheme === 'SECRETS' && a.IAMAuth === 'REQUIRED' && a.SecretArn);
  const tlsNote = proxy.RequireTLS ? '' : ' (IAM authentication also needs TLS: see client.tls)';
  if (proxy.DefaultAuthScheme === 'IAM_AUTH') {
    return pass(`DefaultAuthScheme IAM_AUTH: clients and the proxy log in with IAM end to end${describe ? ` (auth entries: ${describe})` : ''}${tlsNote}.`);
  }
  if (good) return pass(`Auth entry SECRETS ${good.SecretArn} with IAMAuth REQUIRED${tlsNote}.`);
  const repaired = (entries.length > 0 ? entries : [{ AuthScheme: 'SECRETS', SecretArn: '<secret-arn>' }]).map((a) => ({
    AuthScheme: 'SECRETS',
    SecretArn: a.SecretArn ?? '<secret-arn>',
    IAMAuth: 'REQUIRED',
  }));
  return fail(
    `No auth entry uses SECRETS with IAMAuth REQUIRED and a secret (${describe || 'no auth entries'}): clients cannot log in with IAM tokens.`,
    `aws rds modify-db-proxy --db-proxy-name ${proxy.DBProxyName} --auth '${JSON.stringify(repaired)}'`,
  );
}

/** What each target health Reason means, and what to do beyond the checks it points to. */
const REASON_HELP: Record<string, string> = {
  PENDING_PROXY_CAPACITY: 'the proxy is still getting capacity: its subnets need free addresses and it must reach Secrets Manager',
  UNREACHABLE: 'the proxy cannot reach the database: security groups, or the cluster is not available',
  CONNECTION_FAILED: 'the proxy cannot connect to the database: security groups, or the cluster is not available',
  AUTH_FAILURE:
    "the proxy cannot log in with the secret: the secret, the role's access to it and its KMS key, or a password in the secret that no longer matches the database user's",
};

function rowText(t: DBProxyTarget): string {
  const h = t.TargetHealth;
  return `${t.Type} ${t.RdsResourceId}: State ${h?.State ?? '-'}, Reason ${h?.Reason ?? '-'}, Description "${h?.Description ?? '-'}"`;
}

function proxyTargets(ctx: CheckContext): Outcome {
  const proxy = need(ctx.snapshot.proxy);
  const rows = need(ctx.snapshot.targets);
  const name = proxy.DBProxyName;
  if (rows.length === 0) {
    return fail(
      `No target is registered with proxy ${name}: it has no database to send connections to.`,
      `aws rds register-db-proxy-targets --db-proxy-name ${name} --db-cluster-identifiers <cluster-id>`,
    );
  }
  const instanceRows = rows.filter((r) => r.Type === 'RDS_INSTANCE');
  const judged = instanceRows.length > 0 ? instanceRows : rows;
  const basis =
    instanceRows.length > 0
      ? `judged ${instanceRows.length} RDS_INSTANCE row${instanceRows.length === 1 ? '' : 's'}`
      : 'no RDS_INSTANCE rows are reported (a registered cluster shows one per instance), so the TRACKED_CLUSTER row was judged instead';
  const state = (r: DBProxyTarget) => r.TargetHealth?.State;
  const available = judged.filter((r) => state(r) === 'AVAILABLE');
  const registering = judged.filter((r) => state(r) === 'REGISTERING');
  const unused = judged.filter((r) => state(r) === 'UNUSED');
  // UNAVAILABLE, or a state this tool does not know: shown exactly as AWS reports it.
  const unhealthy = judged.filter((r) => !['AVAILABLE', 'REGISTERING', 'UNUSED'].includes(state(r) ?? ''));
  const notes = [
    ...registering.map((r) => `${r.Type} ${r.RdsResourceId} is still REGISTERING (pending, not a failure)`),
    ...unused.map((r) => `${r.Type} ${r.RdsResourceId} is UNUSED (not in use by the proxy, so neither required nor a failure)`),
  ];
  const noted = notes.length > 0 ? ` ${notes.join('; ')}.` : '';
  if (unhealthy.length === 0 && available.length > 0) {
    return pass(`${available.map((r) => `${r.Type} ${r.RdsResourceId}: AVAILABLE`).join(', ')} (${basis}).${noted}`);
  }
  if (unhealthy.length === 0 && registering.length > 0) {
    return warn(`No target row is AVAILABLE yet (${basis}).${noted}`, 'Wait a few minutes for the registration to finish and run doctor again.');
  }
  if (unhealthy.length === 0) {
    return fail(
      `No target row is AVAILABLE (${basis}).${noted}`,
      `Register a database the proxy will use: aws rds register-db-proxy-targets --db-proxy-name ${name} --db-cluster-identifiers <cluster-id>`,
    );
  }
  const byCheck = new Map<string, CheckStatus>(ctx.earlier.map((r) => [r.id, r.status]));
  const explanations = unhealthy.map((r) => {
    const reason = r.TargetHealth?.Reason;
    const checks = doctorChecksFor(reason);
    if (checks.length === 0) return `${reason ?? 'no reason given'} is not a reason this tool knows: see the Description above`;
    const marked = checks.map((id) => `${id} (${byCheck.get(id) ?? 'not run'})`).join(', ');
    return `${reason}: ${REASON_HELP[reason!] ?? ''} — see ${marked}`;
  });
  return fail(
    `${unhealthy.map(rowText).join('; ')} (${basis}).${noted}`,
    [...new Set(explanations)].join('\n'),
  );
}

/** The database behind the proxy, once its reads are known to have succeeded; undefined when none is registered. */
function registeredDatabase(ctx: CheckContext): DatabaseFacts | undefined {
  try {
    return databaseFacts(ctx.snapshot);
  } catch (err) {
    if (err instanceof SkipCheck) return undefined;
    throw err;
  }
}

function proxySubnets(ctx: CheckContext): Outcome {
  const proxy = need(ctx.snapshot.proxy);
  const ids = proxy.VpcSubnetIds ?? [];
  const subnets = subnetsById(ctx.snapshot, ids);
  const zones = [...new Set(subnets.map((s) => s.AvailabilityZone))];
  // The database's VPC comes from its instances, else from its security groups: unread, it is not known.
  needReads("the database's network", ctx.snapshot.cluster, ctx.snapshot.instances);
  const db = registeredDatabase(ctx);
  let databaseVpc = db?.vpcId;
  if (db && !databaseVpc) {
    const groups = need(ctx.snapshot.securityGroups);
    databaseVpc = db.securityGroupIds.map((id) => groups.get(id)?.VpcId).find((vpc) => vpc !== undefined);
  }
  const problems: string[] = [];
  if (zones.length < 2) problems.push(`they span ${zones.length} Availability Zone (${zones.join(', ')}); a proxy needs at least 2`);
  const foreign = subnets.filter((s) => s.VpcId !== (databaseVpc ?? proxy.VpcId));
  if (foreign.length > 0) problems.push(`${foreign.map((s) => s.SubnetId).join(', ')} are not in the database's VPC ${databaseVpc}`);
  const crowded = subnets.filter((s) => (s.AvailableIpAddressCount ?? 0) < MIN_FREE_ADDRESSES);
  if (crowded.length > 0) {
    problems.push(`${crowded.map((s) => `${s.SubnetId} has ${s.AvailableIpAddressCount ?? 0}`).join(', ')} free addresses (fewer than ${MIN_FREE_ADDRESSES})`);
  }
  const missingIds = ids.filter((id) => !subnets.some((s) => s.SubnetId === id));
  if (missingIds.length > 0) problems.push(`${missingIds.join(', ')} no longer exist`);
  const seen = `Proxy subnets ${subnets.map((s) => `${s.SubnetId} (${s.AvailabilityZone}, ${s.AvailableIpAddressCount} free)`).join(', ')} in ${proxy.VpcId}`;
  if (problems.length === 0) return pass(`${seen}.`);
  return warn(
    `${seen}: ${problems.join('; ')}.`,
    `A proxy's subnets cannot be changed: recreate it in subnets of ${databaseVpc ?? proxy.VpcId} in at least two Availability Zones with free addresses (rdsproxy-setup up --subnet-ids <a>,<b>, or aws rds create-db-proxy ... --vpc-subnet-ids <a> <b>).`,
  );
}

/** Beyond the tutorial: the proxy itself — its status, authentication, targets and subnets. */
export const proxyChecks: Check[] = [
  { id: 'proxy.status', title: 'The proxy is available (PostgreSQL)', group: 'beyond', run: proxyStatus },
  { id: 'proxy.auth', title: 'The proxy requires IAM authentication', group: 'beyond', run: proxyAuth },
  { id: 'proxy.targets', title: 'The proxy\'s targets are healthy', group: 'beyond', phase: 1, run: proxyTargets },
  { id: 'proxy.subnets', title: 'The proxy\'s subnets', group: 'beyond', run: proxySubnets },
];
