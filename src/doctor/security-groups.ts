import type { SecurityGroup } from '@aws-sdk/client-ec2';
import { POSTGRES_PORT } from '../config/names.js';
import { fail, need, needReads, pass, skip, SkipCheck, warn, type Check, type CheckContext, type Outcome } from './check.js';
import { clientFunction, databaseFacts, databaseSubnetCidrs, groupsById, proxySubnetCidrs, subnetsById } from './facts.js';
import { matchingRule } from './security-group-rules.js';

const ingressFix = (groupId: string, port: number, source: string) =>
  `aws ec2 authorize-security-group-ingress --group-id ${groupId} --protocol tcp --port ${port} --source-group ${source}`;
const egressFix = (groupId: string, port: number, target: string) =>
  `aws ec2 authorize-security-group-egress --group-id ${groupId} --ip-permissions ` +
  (target.startsWith('sg-')
    ? `'IpProtocol=tcp,FromPort=${port},ToPort=${port},UserIdGroupPairs=[{GroupId=${target}}]'`
    : `'IpProtocol=tcp,FromPort=${port},ToPort=${port},IpRanges=[{CidrIp=${target}}]'`);

/** "sg-a: TCP 5432 from sg-b" for the first group with a matching rule, else undefined. */
function firstMatch(
  groups: readonly SecurityGroup[],
  rules: (g: SecurityGroup) => Parameters<typeof matchingRule>[0],
  port: number,
  peer: Parameters<typeof matchingRule>[2],
  direction: 'from' | 'to',
): string | undefined {
  for (const g of groups) {
    const rule = matchingRule(rules(g), port, peer, direction);
    if (rule) return `${g.GroupId} allows ${rule}`;
  }
  return undefined;
}

function proxyToCluster({ snapshot }: CheckContext): Outcome {
  const proxy = need(snapshot.proxy);
  const db = databaseFacts(snapshot);
  const proxyGroupIds = proxy.VpcSecurityGroupIds ?? [];
  const proxyGroups = groupsById(snapshot, proxyGroupIds);
  const dbGroups = groupsById(snapshot, db.securityGroupIds);
  const proxyCidrs = proxySubnetCidrs(snapshot, proxy);
  const dbCidrs = databaseSubnetCidrs(snapshot);
  const shared = proxyGroupIds.filter((id) => db.securityGroupIds.includes(id));
  const ingress = firstMatch(dbGroups, (g) => g.IpPermissions, db.port, { groupIds: proxyGroupIds, cidrs: proxyCidrs }, 'from');
  // Egress goes to the database side: its security groups, or a range holding its subnets
  // (unknown subnets leave only a rule open to everywhere).
  const egress = firstMatch(
    proxyGroups,
    (g) => g.IpPermissionsEgress,
    db.port,
    { groupIds: db.securityGroupIds, cidrs: dbCidrs.length > 0 ? dbCidrs : ['0.0.0.0/0'] },
    'to',
  );
  const sharedNote = shared.length > 0 ? ` (proxy and database share ${shared.join(', ')}: a self-referencing rule counts)` : '';
  const seen = `${db.label} port ${db.port} is guarded by ${db.securityGroupIds.join(', ') || 'no security group'}; the proxy uses ${proxyGroupIds.join(', ')}${sharedNote}`;
  const [proxyGroup] = proxyGroupIds;
  const [dbGroup] = db.securityGroupIds;
  // A rule may admit the proxy by the address ranges of its subnets: unread, no match proves nothing.
  if (!ingress || !egress) needReads('the subnets whose address ranges a rule may name', snapshot.subnets, snapshot.databaseSubnetIds);
  if (!ingress) {
    return fail(
      `${seen}. No rule on the database's security groups admits TCP ${db.port} from a proxy security group.`,
      ingressFix(dbGroup ?? '<database-sg>', db.port, proxyGroup ?? '<proxy-sg>'),
    );
  }
  if (!egress) {
    return fail(
      `${seen}; ${ingress}, but no proxy security group allows TCP ${db.port} out to the database.`,
      egressFix(proxyGroup ?? '<proxy-sg>', db.port, dbGroup ?? '<database-sg>'),
    );
  }
  const byCidr = ingress.includes(' from sg-')
    ? ''
    : ' That rule admits an address range: anything in it can reach the database directly, bypassing the proxy.';
  return pass(`${seen}; ${ingress}; ${egress}.${byCidr}`);
}

function proxyEgressSecrets({ snapshot }: CheckContext): Outcome {
  const proxy = need(snapshot.proxy);
  const proxyGroupIds = proxy.VpcSecurityGroupIds ?? [];
  const groups = groupsById(snapshot, proxyGroupIds);
  const open = firstMatch(groups, (g) => g.IpPermissionsEgress, 443, { cidrs: ['0.0.0.0/0'] }, 'to');
  if (open) return pass(`${open}: the proxy can reach Secrets Manager.`);
  const endpoints = snapshot.secretsEndpoints?.ok ? snapshot.secretsEndpoints.value : [];
  for (const endpoint of endpoints) {
    const endpointGroups = (endpoint.Groups ?? []).map((g) => g.GroupId).filter((id): id is string => !!id);
    const rule = firstMatch(groups, (g) => g.IpPermissionsEgress, 443, { groupIds: endpointGroups, cidrs: proxySubnetCidrs(snapshot, proxy) }, 'to');
    if (rule) return pass(`${rule}: the proxy reaches Secrets Manager through VPC endpoint ${endpoint.VpcEndpointId}.`);
  }
  needReads('the Secrets Manager endpoints of the VPC', snapshot.secretsEndpoints, endpoints.length > 0 ? snapshot.subnets : undefined);
  const endpointNote =
    snapshot.secretsEndpoints === undefined || !snapshot.secretsEndpoints.ok
      ? ''
      : endpoints.length === 0
        ? ` and VPC ${proxy.VpcId} has no Secrets Manager endpoint`
        : ` and none of them admits the VPC endpoint ${endpoints.map((e) => e.VpcEndpointId).join(', ')}`;
  return warn(
    `The proxy's security groups ${proxyGroupIds.join(', ')} allow no TCP 443 out to the internet${endpointNote}: the proxy may be unable to fetch its secret.`,
    egressFix(proxyGroupIds[0] ?? '<proxy-sg>', 443, '0.0.0.0/0') +
      ` (or create an interface VPC endpoint for com.amazonaws.<region>.secretsmanager and allow 443 to it)`,
  );
}

/** The client's security groups and the address blocks it uses. */
function clientSide(ctx: CheckContext): { groupIds: string[]; cidrs: string[]; label: string } | undefined {
  const { snapshot, options } = ctx;
  if (options.lambda) {
    const lambda = clientFunction(snapshot);
    const subnets = subnetsById(snapshot, lambda.subnetIds);
    return {
      groupIds: [...lambda.securityGroupIds, ...(options.clientSecurityGroupId ? [options.clientSecurityGroupId] : [])],
      cidrs: subnets.flatMap((s) => (s.CidrBlock ? [s.CidrBlock] : [])),
      label: `Lambda function ${lambda.name}`,
    };
  }
  if (options.clientSecurityGroupId) {
    const vpc = snapshot.vpc?.ok ? snapshot.vpc.value : undefined;
    return {
      groupIds: [options.clientSecurityGroupId],
      cidrs: vpc?.CidrBlock ? [vpc.CidrBlock] : [],
      label: `client security group ${options.clientSecurityGroupId}`,
    };
  }
  return undefined;
}

/** A fail when the security group of --client-sg is not among the groups read: what was looked for, and where. */
function absentClientGroup({ options, snapshot }: CheckContext): Outcome | undefined {
  const id = options.clientSecurityGroupId;
  if (id === undefined || need(snapshot.securityGroups).has(id)) return undefined;
  return fail(
    `--client-sg: security group ${id} was not found in ${snapshot.region}: DescribeSecurityGroups with a group-id filter returned no group with that id.`,
    `Pass --client-sg the id of your clients' security group in ${snapshot.region} (\`aws ec2 describe-security-groups --region ${snapshot.region}\` lists them).`,
  );
}

const NO_CLIENT = skip('No client given.', 'Pass --lambda <function> or --client-sg <sg-id> to check the path from your client.');

function clientToProxy(ctx: CheckContext): Outcome {
  if (!ctx.options.lambda && !ctx.options.clientSecurityGroupId) return NO_CLIENT;
  const proxy = need(ctx.snapshot.proxy);
  // Before the function is read: a missing group is a finding of its own, whatever became of the function.
  const absent = absentClientGroup(ctx);
  if (absent) return absent;
  const client = clientSide(ctx);
  if (!client) return NO_CLIENT;
  if (client.groupIds.length === 0) throw new SkipCheck(`${client.label} has no security group: it is not attached to a VPC (see client.same-vpc)`);
  const clientGroups = groupsById(ctx.snapshot, client.groupIds);
  const foreign = clientGroups.filter((g) => g.VpcId !== proxy.VpcId);
  if (foreign.length > 0) {
    throw new SkipCheck(
      `${client.label} uses ${foreign.map((g) => `${g.GroupId} of ${g.VpcId}`).join(', ')}, not the proxy's VPC ${proxy.VpcId} (see client.same-vpc)`,
    );
  }
  const proxyGroupIds = proxy.VpcSecurityGroupIds ?? [];
  const proxyGroups = groupsById(ctx.snapshot, proxyGroupIds);
  const port = POSTGRES_PORT;
  const ingress = firstMatch(proxyGroups, (g) => g.IpPermissions, port, { groupIds: client.groupIds, cidrs: client.cidrs }, 'from');
  const egress = firstMatch(
    clientGroups,
    (g) => g.IpPermissionsEgress,
    port,
    { groupIds: proxyGroupIds, cidrs: proxySubnetCidrs(ctx.snapshot, proxy) },
    'to',
  );
  const seen = `${client.label} uses ${client.groupIds.join(', ')}; the proxy uses ${proxyGroupIds.join(', ')}`;
  if (!ingress || !egress) needReads('the address ranges a rule may name', ctx.snapshot.vpc, ctx.snapshot.subnets);
  if (!ingress) {
    return fail(
      `${seen}. No proxy security group admits TCP ${port} from the client.`,
      ingressFix(proxyGroupIds[0] ?? '<proxy-sg>', port, client.groupIds[0]!),
    );
  }
  if (!egress) {
    return fail(
      `${seen}; ${ingress}, but the client's security groups allow no TCP ${port} out to the proxy.`,
      egressFix(client.groupIds[0]!, port, proxyGroupIds[0] ?? '<proxy-sg>'),
    );
  }
  return pass(`${seen}; ${ingress}; ${egress}.`);
}

export const securityGroupChecks: Check[] = [
  { id: 'sg.proxy-to-cluster', title: 'The proxy can reach the database port', group: 'security-groups', run: proxyToCluster },
  { id: 'sg.proxy-egress-secrets', title: 'The proxy can reach Secrets Manager (TCP 443)', group: 'security-groups', run: proxyEgressSecrets },
  { id: 'sg.client-to-proxy', title: 'The client can reach the proxy on 5432', group: 'security-groups', run: clientToProxy },
];
