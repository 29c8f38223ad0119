import { IAM_ACTIONS, type IamActionRow, type PolicyCommand } from './iam-actions.js';
import type { StackNames } from './names.js';

/** Where the policy applies: the ARN placeholders of config/iam-actions.ts get these values. */
export interface PolicyScope {
  partition: string;
  region: string;
  /** A 12-digit account id, or `*` for any account. */
  account: string;
  names: StackNames;
}

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
  Condition?: IamActionRow['condition'];
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export function placeholderValues(scope: PolicyScope): Record<string, string> {
  const { partition, region, account, names } = scope;
  return {
    Partition: partition,
    Region: region,
    Account: account,
    Stack: names.stack,
    SubnetGroup: names.subnetGroup,
    Cluster: names.cluster,
    Instance: names.instance,
    Secret: names.secret,
    Role: names.role,
    ClientFunction: names.clientFunction,
    ClientRole: names.clientRole,
  };
}

/** Fills the `${Name}` placeholders of an ARN pattern; a placeholder without a value is a bug in the table. */
export function expandPattern(pattern: string, values: Readonly<Record<string, string>>): string {
  return pattern.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for \${${name}} in ${pattern}`);
    return value;
  });
}

/** Whether an IAM resource pattern (`*` any run, `?` any one character) matches the whole of `arn`. */
export function patternMatches(pattern: string, arn: string): boolean {
  const regex = pattern.replace(/[.+^$()|[\]\\{}]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(arn);
}

/** The rows a set of commands needs, in the table's order. */
export function rowsFor(commands: readonly PolicyCommand[]): IamActionRow[] {
  return IAM_ACTIONS.filter((row) => row.commands.some((c) => commands.includes(c)));
}

interface Grant {
  action: string;
  resources: string[];
  condition?: IamActionRow['condition'];
  /** Whether its resources name the stack (for the statement id). */
  stack: boolean;
}

const sameCondition = (a: Grant, b: Grant) => JSON.stringify(a.condition) === JSON.stringify(b.condition);

/** A grant adds nothing when another grant of the same action already allows all of its resources. */
function covered(grant: Grant, by: Grant): boolean {
  return (
    grant !== by &&
    grant.action === by.action &&
    sameCondition(grant, by) &&
    grant.resources.every((arn) => by.resources.some((pattern) => patternMatches(pattern, arn)))
  );
}

const pascal = (text: string) =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

/**
 * `RdsCreateDBCluster` for one action; `RdsStackCluster`, `IamAnyRole` for the actions on one set
 * of resources; `NoResourceLevelPermissions` for the actions that allow only `*`.
 */
function statementId(grants: readonly Grant[]): string {
  const [first] = grants as [Grant];
  const [service, name] = first.action.split(':') as [string, string];
  if (grants.length === 1) return `${pascal(service)}${pascal(name)}`;
  if (first.resources.join() === '*') return 'NoResourceLevelPermissions';
  const types = [...new Set(first.resources.map((arn) => arn.split(':').slice(5).join(':').split(/[:/]/)[0]!))];
  return `${pascal(service)}${first.stack ? 'Stack' : 'Any'}${types.map(pascal).join('')}`;
}

/**
 * The least-privilege policy for the CLI's own user to run these commands: every row of the
 * table they need, with its resources filled in; rows with the same resources and condition
 * share a statement, and a grant another one already covers is left out.
 */
export function leastPrivilegePolicy(commands: readonly PolicyCommand[], scope: PolicyScope): PolicyDocument {
  const values = placeholderValues(scope);
  const stackValues = new Set(Object.entries(values).filter(([k]) => !['Partition', 'Region', 'Account'].includes(k)).map(([k]) => `\${${k}}`));
  const grants: Grant[] = rowsFor(commands).map((row) => ({
    action: row.action,
    resources: row.resources.map((r) => expandPattern(r, values)),
    ...(row.condition ? { condition: row.condition } : {}),
    stack: row.resources.some((r) => [...stackValues].some((v) => r.includes(v))),
  }));
  const needed = grants.filter((g, i) => !grants.some((other, j) => covered(g, other) && (!covered(other, g) || j < i)));
  const groups = new Map<string, Grant[]>();
  for (const grant of needed) {
    const key = JSON.stringify([grant.resources, grant.condition ?? null]);
    groups.set(key, [...(groups.get(key) ?? []), grant]);
  }
  const used = new Map<string, number>();
  const Statement = [...groups.values()].map((group): PolicyStatement => {
    const base = statementId(group);
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    const [{ resources, condition }] = group as [Grant];
    return {
      Sid: n === 1 ? base : `${base}${n}`,
      Effect: 'Allow',
      Action: [...new Set(group.map((g) => g.action))].sort(),
      Resource: resources.length === 1 ? resources[0]! : resources,
      ...(condition ? { Condition: condition } : {}),
    };
  });
  return { Version: '2012-10-17', Statement };
}
