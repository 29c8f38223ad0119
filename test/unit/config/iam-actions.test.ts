import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IAM_ACTIONS, NEEDS_NO_PERMISSION } from '../../../src/config/iam-actions.js';
import { expandPattern, placeholderValues } from '../../../src/config/least-privilege-policy.js';
import { stackNames } from '../../../src/config/names.js';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

/** The IAM service prefix of each SDK client package. */
const PREFIX: Record<string, string> = {
  'client-rds': 'rds',
  'client-ec2': 'ec2',
  'client-iam': 'iam',
  'client-secrets-manager': 'secretsmanager',
  'client-sts': 'sts',
  'client-kms': 'kms',
  'client-lambda': 'lambda',
  'client-cloudwatch-logs': 'logs',
  'client-ssm': 'ssm',
  'client-rds-data': 'rds-data',
};

/** Services whose actions act on another service's resources: the Data API's resource is the RDS cluster. */
const RESOURCE_SERVICE: Record<string, string> = { 'rds-data': 'rds' };
/** Operations whose IAM action has another name (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html). */
const ACTION_OF_OPERATION: Record<string, string> = { 'lambda:Invoke': 'lambda:InvokeFunction' };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every AWS call in src/: `new XCommand(` and `paginateX(` of a name imported from an SDK client, as `service:X`. */
function awsCallsInSource(): Set<string> {
  const calls = new Set<string>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const [, names, pkg] of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/(client-[a-z0-9-]+)'/g)) {
      for (const raw of names!.split(',')) {
        const name = raw.trim();
        const command = /^(\w+)Command$/.exec(name)?.[1];
        if (command && text.includes(`new ${name}(`)) calls.add(ACTION_OF_OPERATION[`${PREFIX[pkg!]}:${command}`] ?? `${PREFIX[pkg!]}:${command}`);
        const paginated = /^paginate(\w+)$/.exec(name)?.[1];
        if (paginated && text.includes(`${name}(`)) calls.add(`${PREFIX[pkg!]}:${paginated}`);
      }
    }
  }
  return calls;
}

describe('the table of IAM actions', () => {
  const calls = awsCallsInSource();
  const rowActions = new Set(IAM_ACTIONS.map((r) => r.action));

  it('finds the AWS calls of the source (the scan itself works)', () => {
    expect(calls).toContain('rds:CreateDBCluster');
    expect(calls).toContain('logs:FilterLogEvents');
    expect(calls.size).toBeGreaterThan(40);
  });

  it('has a row for every AWS call the CLI makes, but those that need no permission', () => {
    expect([...calls].filter((c) => !rowActions.has(c) && !NEEDS_NO_PERMISSION.includes(c)).sort()).toEqual([]);
  });

  it('has no row for an action the CLI neither calls nor has AWS authorize with a call', () => {
    const stale = IAM_ACTIONS.filter((r) => !r.authorizedWith && !calls.has(r.action)).map((r) => r.action);
    expect(stale).toEqual([]);
  });

  it('gives each action a resource of its own service, or *', () => {
    const values = placeholderValues({ partition: 'aws', region: 'eu-west-1', account: '123456789012', names: stackNames('orders-dev', 'eu-west-1') });
    for (const row of IAM_ACTIONS) {
      const prefix = row.action.split(':')[0]!;
      const service = RESOURCE_SERVICE[prefix] ?? prefix;
      for (const pattern of row.resources) {
        const resource = expandPattern(pattern, values);
        if (resource !== '*') expect(resource.split(':').slice(0, 3), `${row.action} on ${pattern}`).toEqual(['arn', 'aws', service]);
      }
    }
  });

  it('allows * only where the row says the action supports no resource-level permissions', () => {
    const unexplained = IAM_ACTIONS.filter((r) => r.resources.includes('*') && !r.why.includes('no resource-level permissions'));
    expect(unexplained.map((r) => r.action)).toEqual([]);
  });

  it('lists each action once per command and condition', () => {
    const pairs = IAM_ACTIONS.flatMap((r) => r.commands.map((c) => `${r.action} ${c} ${JSON.stringify(r.condition ?? null)}`));
    expect(pairs.filter((p, i) => pairs.indexOf(p) !== i)).toEqual([]);
  });
});
