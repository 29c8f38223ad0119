import { AWS_LIMITS, nameProblem } from '../config/aws-limits.js';

/**
 * What `grant` records on AWS, and how `revoke`, `status` and `teardown` read it back: tag keys and
 * values, rule descriptions and the policy name. No state file: these are the memory.
 */

export type ClientKind = 'lambda' | 'role';

/** A client of a stack: a Lambda function or an IAM role, by name. */
export interface ClientRef {
  kind: ClientKind;
  name: string;
}

export const describeClient = (client: ClientRef): string =>
  client.kind === 'lambda' ? `Lambda function ${client.name}` : `IAM role ${client.name}`;

const PREFIX = 'rdsproxy-setup:client';

/** The stack's index of its clients, one tag each on its proxy security group: key → db user. */
export const indexTagKey = (client: ClientRef): string => `${PREFIX}:${client.kind}:${client.name}`;

/** One entry of the index. */
export interface IndexEntry {
  client: ClientRef;
  user: string;
}

/** The index entries among a security group's tags, in a fixed order. */
export function indexEntries(tags: Readonly<Record<string, string>>): IndexEntry[] {
  return Object.entries(tags)
    .flatMap(([key, user]) => {
      const match = /^rdsproxy-setup:client:(lambda|role):(.+)$/.exec(key);
      return match ? [{ client: { kind: match[1] as ClientKind, name: match[2]! }, user }] : [];
    })
    .sort((a, b) => indexTagKey(a.client).localeCompare(indexTagKey(b.client)));
}

/** On a function or a role: "this is a client of <stack> for <user>". */
export const clientTagKey = (stack: string): string => `${PREFIX}:${stack}`;
/** On a function: what grant did to one environment variable. */
export const envTagKey = (stack: string, variable: string): string => `${PREFIX}:${stack}:env:${variable}`;
/** On a function: grant put it into the proxy's subnets (it had no VPC). */
export const vpcTagKey = (stack: string): string => `${PREFIX}:${stack}:vpc`;
/** On a role: the stack relies on the AWSLambdaVPCAccessExecutionRole attachment grant made. */
export const vpcAccessTagKey = (stack: string): string => `${PREFIX}:${stack}:vpc-access`;
/** On a role client: the security group it was granted the network path for (--client-sg). */
export const clientSgTagKey = (stack: string): string => `${PREFIX}:${stack}:client-sg`;

export const ATTACHED = 'attached';

/**
 * What grant did to one environment variable, and the value it set: revoke undoes it only while
 * the variable still has that value (a later edit by the user is kept). The set value is in the
 * record because revoke must work after the proxy (whose endpoint it is) is gone.
 */
export type EnvRecord =
  | { variable: string; set: string; kind: 'added' }
  | { variable: string; set: string; kind: 'replaced'; prior: string };

/**
 * `+<set>` for an added variable, `=<set>=<prior>` for a replaced one. The values grant sets
 * (an endpoint, a port, PostgreSQL identifiers, verify-full) never hold "=", so the first "="
 * after the set value ends it.
 */
export function envTagValue(record: EnvRecord): string {
  return record.kind === 'added' ? `+${record.set}` : `=${record.set}=${record.prior}`;
}

export function parseEnvTagValue(variable: string, value: string): EnvRecord | undefined {
  if (value.startsWith('+')) return { variable, set: value.slice(1), kind: 'added' };
  const match = /^=([^=]*)=(.*)$/s.exec(value);
  return match ? { variable, set: match[1]!, kind: 'replaced', prior: match[2]! } : undefined;
}

/** Whether a value fits in a Lambda or IAM tag; undefined when it does, else why not. */
export function tagValueProblem(value: string): string | undefined {
  return nameProblem(value, AWS_LIMITS.lambdaOrIamTagValue);
}

/** Everything one stack recorded on one function or role. */
export interface ClientRecords {
  /** The database user it was granted for; undefined when it is no client of the stack. */
  user?: string;
  env: EnvRecord[];
  /** Grant attached the function (it had no VPC) to the proxy's subnets. */
  vpcAttached: boolean;
  /** Grant attached (or relies on its own earlier attachment of) AWSLambdaVPCAccessExecutionRole. */
  vpcAccessAttached: boolean;
  clientSecurityGroupId?: string;
  /** Every tag key of these records, for the untag that ends a revoke. */
  keys: string[];
}

export function clientRecords(stack: string, tags: Readonly<Record<string, string>>): ClientRecords {
  const own = clientTagKey(stack);
  const keys = Object.keys(tags)
    .filter((k) => k === own || k.startsWith(`${own}:`))
    .sort();
  const envPrefix = envTagKey(stack, '');
  const env = keys
    .filter((k) => k.startsWith(envPrefix))
    .flatMap((k) => {
      const record = parseEnvTagValue(k.slice(envPrefix.length), tags[k]!);
      return record ? [record] : [];
    });
  return {
    user: tags[own],
    env,
    vpcAttached: tags[vpcTagKey(stack)] === ATTACHED,
    vpcAccessAttached: tags[vpcAccessTagKey(stack)] === ATTACHED,
    clientSecurityGroupId: tags[clientSgTagKey(stack)],
    keys,
  };
}

/** The stacks (other than this one) that rely on the role's AWSLambdaVPCAccessExecutionRole attachment. */
export function otherVpcAccessHolders(stack: string, tags: Readonly<Record<string, string>>): string[] {
  return Object.entries(tags).flatMap(([key, value]) => {
    const match = /^rdsproxy-setup:client:([^:]+):vpc-access$/.exec(key);
    return match && match[1] !== stack && value === ATTACHED ? [match[1]!] : [];
  });
}

/** The description of every security-group rule grant adds: its record. */
export const ruleDescription = (stack: string, client: ClientRef): string => `rdsproxy-setup:${stack} client ${client.kind}:${client.name}`;

/** A rule a grant of this stack added (for any of its clients). */
export const isStackRule = (stack: string, description: string | undefined): boolean =>
  description?.startsWith(`rdsproxy-setup:${stack} client `) ?? false;

/** The one inline policy a stack puts on a client's role. */
export const connectPolicyName = (stack: string): string => `rdsproxy-setup-${stack}-connect`;

/** The stack's client security group, for functions grant puts into the proxy's subnets. */
export const clientSecurityGroupName = (stack: string): string => `${stack}-client-sg`;

/** AWS's managed policy with the network-interface permissions a function in a VPC needs. */
export const vpcAccessPolicyArn = (partition: string): string =>
  `arn:${partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole`;

/** Tags as a plain record, from EC2's or IAM's list form. */
export function tagRecord(tags: readonly { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key!, t.Value ?? '']));
}
