import { connectResourceArn, parseArn } from '../config/arns.js';
import { POSTGRES_PORT } from '../config/names.js';
import { fail, need, pass, skip, SkipCheck, type Check, type CheckContext, type Outcome } from './check.js';
import { grantFix } from './denials.js';
import { clientSettings, type ClientSettings } from './client-settings.js';
import { clientFunction, proxyArnParts, subnetsById } from './facts.js';
import { isNotFoundRead } from './read.js';
import { statements } from './policy-evaluation.js';
import { describeAnswer } from './permissions.js';
import type { Denial, LambdaSnapshot } from './snapshot.js';

const NO_LAMBDA = 'No client function given.';
const WITH_LAMBDA = 'Pass --lambda <function> to check your client\'s configuration.';

function lambdaOf(ctx: CheckContext): { lambda: LambdaSnapshot; settings: ClientSettings } | undefined {
  if (!ctx.options.lambda) return undefined;
  const lambda = clientFunction(ctx.snapshot);
  return { lambda, settings: clientSettings(lambda.environment) };
}

/** A fail when AWS says the function of --lambda does not exist: what was looked for, and where. */
function absentFunction({ options, snapshot }: CheckContext): Outcome | undefined {
  const read = snapshot.lambda;
  if (!options.lambda || read === undefined || !isNotFoundRead(read)) return undefined;
  return fail(
    `Lambda function ${options.lambda} does not exist in ${snapshot.region}: ${read.error}.`,
    `Pass --lambda the name or ARN of your client function in ${snapshot.region} (\`aws lambda list-functions --region ${snapshot.region}\` lists them).`,
  );
}

/** The user clients sign tokens for: --user, else the function's configured user. */
export function clientUser(ctx: CheckContext): { user: string; from: string } | undefined {
  if (ctx.options.user) return { user: ctx.options.user, from: '--user' };
  const l = lambdaOf(ctx);
  return l?.settings.user ? { user: l.settings.user.value, from: `${l.lambda.name}'s ${l.settings.user.variable}` } : undefined;
}

function tls(ctx: CheckContext): Outcome {
  const proxy = need(ctx.snapshot.proxy);
  if (!proxy.RequireTLS) {
    return fail(
      `Proxy ${proxy.DBProxyName} has RequireTLS off: clients may connect without TLS, and IAM authentication only works over TLS.`,
      `aws rds modify-db-proxy --db-proxy-name ${proxy.DBProxyName} --require-tls`,
    );
  }
  const l = lambdaOf(ctx);
  if (l?.settings.sslDisabledBy) {
    return fail(
      `Proxy ${proxy.DBProxyName} requires TLS, but ${l.lambda.name}'s environment variable ${l.settings.sslDisabledBy} turns SSL off.`,
      `Remove ${l.settings.sslDisabledBy}'s sslmode=disable from ${l.lambda.name}'s environment (use sslmode=require or verify-full) and connect with ssl: true; the proxy's certificate chains to Amazon's public roots in the system trust store.`,
    );
  }
  const about = l ? `; nothing in ${l.lambda.name}'s environment turns SSL off` : '';
  return pass(`Proxy ${proxy.DBProxyName} requires TLS${about}.`);
}

function endpoint(ctx: CheckContext): Outcome {
  const l = lambdaOf(ctx);
  if (!l) return skip(NO_LAMBDA, WITH_LAMBDA);
  const proxy = need(ctx.snapshot.proxy);
  const proxyHost = (proxy.Endpoint ?? '').toLowerCase();
  const setFix = `Set the host in ${l.lambda.name}'s configuration to the proxy endpoint ${proxy.Endpoint} and port ${POSTGRES_PORT}, for both the RDS Signer and the database client.`;
  const { host, port } = l.settings;
  if (!host) {
    throw new SkipCheck(
      `${l.lambda.name}'s environment names no database host (looked for PGHOST, *_HOST, *_ENDPOINT and postgres:// URLs); make sure its code uses ${proxy.Endpoint}`,
    );
  }
  const value = host.value.toLowerCase();
  const cluster = ctx.snapshot.cluster.ok ? ctx.snapshot.cluster.value : undefined;
  const instances = ctx.snapshot.instances.ok ? ctx.snapshot.instances.value : [];
  const databaseHosts = [cluster?.Endpoint, cluster?.ReaderEndpoint, ...instances.map((i) => i.Endpoint?.Address)]
    .filter((h): h is string => !!h)
    .map((h) => h.toLowerCase());
  const proxyDomain = proxyHost.slice(proxyHost.indexOf('.') + 1);
  const isProxy = value === proxyHost || (value.includes('.endpoint.') && value.endsWith(proxyDomain));
  if (!isProxy) {
    const what = databaseHosts.includes(value)
      ? 'a database endpoint, not the proxy: connections bypass the proxy and its IAM authentication'
      : 'not the proxy endpoint';
    return fail(`${l.lambda.name}'s ${host.variable} is ${host.value}: ${what} (the proxy is ${proxy.Endpoint}).`, setFix);
  }
  if (port && Number(port.value) !== POSTGRES_PORT) {
    return fail(`${l.lambda.name}'s ${host.variable} is the proxy, but ${port.variable} is ${port.value}; the proxy listens on ${POSTGRES_PORT}.`, setFix);
  }
  return pass(`${l.lambda.name}'s ${host.variable} is the proxy endpoint ${proxy.Endpoint}${port ? `, ${port.variable} ${port.value}` : ''}.`);
}

/** rds-db:connect resources in the role's policies that name the proxy by name instead of its id. */
function connectResources(l: LambdaSnapshot): string[] {
  const role = l.role.ok ? l.role.value : undefined;
  if (!role?.policies.ok) return [];
  return role.policies.value.flatMap((p) =>
    statements(p.document)
      .filter((s) => [s.Action ?? []].flat().some((a) => /^rds-db:(connect|\*)$|^\*$/i.test(a)))
      .flatMap((s) => [s.Resource ?? []].flat()),
  );
}

async function connectPermission(ctx: CheckContext): Promise<Outcome> {
  const l = lambdaOf(ctx);
  if (!l) return skip(NO_LAMBDA, WITH_LAMBDA);
  const who = clientUser(ctx);
  if (!who) throw new SkipCheck(`no database user known: pass --user <db-user> or set PGUSER in ${l.lambda.name}'s environment`);
  const proxy = need(ctx.snapshot.proxy);
  const role = need(l.lambda.role);
  const resource = connectResourceArn(proxy.DBProxyArn ?? '', who.user) ?? '';
  const answer = await ctx.permissions.mayPerform(role, { action: 'rds-db:connect', resource });
  const how = describeAnswer(answer);
  if (answer.allowed) return pass(`Role ${role.name} of ${l.lambda.name} may rds-db:connect on ${resource} [${how}].`);
  const { resourceId } = proxyArnParts(proxy);
  const byName = connectResources(l.lambda).filter((r) => r.includes(`:dbuser:${proxy.DBProxyName}/`));
  const nameNote =
    byName.length > 0
      ? ` It grants rds-db:connect on ${byName.join(', ')}: that is the proxy's name; the resource must use its id ${resourceId}.`
      : '';
  return fail(
    `Role ${role.name} of ${l.lambda.name} may not rds-db:connect on ${resource} [${how}].${nameNote}`,
    `aws iam put-role-policy --role-name ${role.name} --policy-name connect-through-proxy --policy-document '${JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'rds-db:connect', Resource: resource }],
    })}'`,
  );
}

const ENI_ACTIONS = ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface'];

async function sameVpc(ctx: CheckContext): Promise<Outcome> {
  const absent = absentFunction(ctx);
  if (absent) return absent;
  const l = lambdaOf(ctx);
  if (!l) return skip(NO_LAMBDA, WITH_LAMBDA);
  const proxy = need(ctx.snapshot.proxy);
  const fn = l.lambda.name;
  const attachFix = (subnets: string) =>
    `aws lambda update-function-configuration --function-name ${fn} --vpc-config SubnetIds=${subnets},SecurityGroupIds=<client-sg>`;
  const proxySubnets = (proxy.VpcSubnetIds ?? []).join(',');
  if (l.lambda.subnetIds.length === 0) {
    return fail(`${fn} is not attached to a VPC; the proxy is only reachable inside ${proxy.VpcId}.`, attachFix(proxySubnets));
  }
  // A function's subnets decide its VPC; they also name the Availability Zones the evidence shows.
  const subnets = subnetsById(ctx.snapshot, l.lambda.subnetIds);
  const elsewhere = subnets.filter((s) => s.VpcId !== proxy.VpcId);
  if (elsewhere.length > 0 || subnets.length === 0) {
    return fail(
      `${fn} runs in ${elsewhere.map((s) => `${s.SubnetId} of ${s.VpcId}`).join(', ') || `subnets ${l.lambda.subnetIds.join(', ')} that were not found`}; the proxy is in ${proxy.VpcId}.`,
      attachFix(proxySubnets),
    );
  }
  const role = need(l.lambda.role);
  const denied: string[] = [];
  let how = '';
  for (const action of ENI_ACTIONS) {
    const answer = await ctx.permissions.mayPerform(role, { action, resource: '*' });
    how = answer.how;
    if (!answer.allowed) denied.push(action);
  }
  const where = `${fn} runs in ${subnets.map((s) => `${s.SubnetId} (${s.AvailabilityZone})`).join(', ')} of the proxy's VPC ${proxy.VpcId}`;
  if (denied.length > 0) {
    return fail(
      `${where}, but its role ${role.name} may not ${denied.join(', ')} [${how}].`,
      `aws iam attach-role-policy --role-name ${role.name} --policy-arn arn:${parseArn(role.arn)?.partition ?? 'aws'}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole`,
    );
  }
  return pass(`${where}; its role ${role.name} has the network-interface permissions [${how}].`);
}

function userMatches(ctx: CheckContext): Outcome {
  const who = clientUser(ctx);
  if (!who) return skip('No database user given.', 'Pass --user <db-user> (the user your clients sign tokens for), or --lambda with PGUSER set.');
  const proxy = need(ctx.snapshot.proxy);
  if (proxy.DefaultAuthScheme === 'IAM_AUTH') {
    return pass(`${who.from} is "${who.user}"; the proxy uses end-to-end IAM (DefaultAuthScheme IAM_AUTH), so it needs no secret for it (see iam.role-db-connect and user.rds-iam).`);
  }
  const users: string[] = [];
  const unread: string[] = [];
  let unknown = false;
  const denials: Denial[] = [];
  for (const auth of proxy.Auth ?? []) {
    if (auth.UserName) users.push(auth.UserName);
    const secret = auth.SecretArn ? ctx.snapshot.secrets.get(auth.SecretArn) : undefined;
    const value = secret?.ok ? secret.value.value : secret;
    if (value?.ok && value.value.username) users.push(value.value.username);
    else if (auth.SecretArn) unread.push(`${auth.SecretArn} (${value ? (value.ok ? 'no username key' : value.error) : 'not read'})`);
    if (value && !value.ok && !value.notFound) unknown = true;
    if (value && !value.ok && value.denied) denials.push(value.denied);
  }
  if (users.includes(who.user)) return pass(`${who.from} is "${who.user}", the username of a secret the proxy holds.`);
  // The user may be the one of a secret that could not be read.
  if (users.length === 0 || unknown) {
    throw new SkipCheck(`the proxy's secrets could not be read to learn their users: ${unread.join('; ')}`, denials.length > 0 ? grantFix(denials) : undefined);
  }
  const caseOnly = users.find((u) => u.toLowerCase() === who.user.toLowerCase());
  const known = users.map((u) => `"${u}"`).join(', ');
  return fail(
    caseOnly
      ? `${who.from} is "${who.user}" but the proxy's secret holds "${caseOnly}": user names are case-sensitive.`
      : `${who.from} is "${who.user}", but the proxy holds credentials only for ${known}${unread.length ? ` (unread: ${unread.join('; ')})` : ''}: the proxy answers "This RDS proxy has no credentials for the role ${who.user}".`,
    `Sign tokens for ${caseOnly ?? users[0]} (set PGUSER=${caseOnly ?? users[0]}), or give the proxy a secret for "${who.user}": aws rds modify-db-proxy --db-proxy-name ${proxy.DBProxyName} --auth <every existing entry plus {"AuthScheme":"SECRETS","SecretArn":"<secret of ${who.user}>","IAMAuth":"REQUIRED"}>`,
  );
}

export const clientChecks: Check[] = [
  { id: 'client.tls', title: 'TLS is required and not turned off', group: 'client', run: tls },
  { id: 'client.endpoint', title: 'The client connects to the proxy endpoint', group: 'client', run: endpoint },
  { id: 'client.connect-permission', title: 'The client may rds-db:connect through the proxy', group: 'client', run: connectPermission },
  { id: 'client.same-vpc', title: 'The client runs in the proxy\'s VPC', group: 'client', run: sameVpc },
  { id: 'client.user-matches', title: 'The token\'s user is a user the proxy holds', group: 'client', run: userMatches },
];
