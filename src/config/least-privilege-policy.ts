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

/** No `Sid`: ids are optional, and without them `--for all` fits a managed policy's 6,144 characters (the table says why each action is there). */
export interface PolicyStatement {
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
}

const sameCondition = (a: Grant, b: Grant) => JSON.stringify(a.condition) === JSON.stringify(b.condition);

/**
 * A grant adds nothing when another grant of the same action already allows all of its resources,
 * under the same condition or none.
 */
function covered(grant: Grant, by: Grant): boolean {
  return (
    grant !== by &&
    grant.action === by.action &&
    (sameCondition(grant, by) || by.condition === undefined) &&
    grant.resources.every((arn) => by.resources.some((pattern) => patternMatches(pattern, arn)))
  );
}

/**
 * The least-privilege policy for the CLI's own user to run these commands: every row of the
 * table they need, with its resources filled in; rows with the same resources and condition
 * share a statement, and a grant another one already covers is left out.
 */
export function leastPrivilegePolicy(commands: readonly PolicyCommand[], scope: PolicyScope): PolicyDocument {
  const values = placeholderValues(scope);
  const grants: Grant[] = rowsFor(commands).map((row) => ({
    action: row.action,
    resources: row.resources.map((r) => expandPattern(r, values)),
    ...(row.condition ? { condition: row.condition } : {}),
  }));
  const needed = grants.filter((g, i) => !grants.some((other, j) => covered(g, other) && (!covered(other, g) || j < i)));
  const groups = new Map<string, Grant[]>();
  for (const grant of needed) {
    const key = JSON.stringify([grant.resources, grant.condition ?? null]);
    groups.set(key, [...(groups.get(key) ?? []), grant]);
  }
  const Statement = [...groups.values()].map((group): PolicyStatement => {
    const [{ resources, condition }] = group as [Grant];
    return {
      Effect: 'Allow',
      Action: [...new Set(group.map((g) => g.action))].sort(),
      Resource: resources.length === 1 ? resources[0]! : resources,
      ...(condition ? { Condition: condition } : {}),
    };
  });
  return { Version: '2012-10-17', Statement };
}
