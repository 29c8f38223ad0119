import { AuthorizeSecurityGroupIngressCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AttachRolePolicyCommand, CreatePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { ModifyDBClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import { DeleteSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { beforeAll, describe, expect, it } from 'vitest';
import { IAM_ACTIONS } from '../../src/config/iam-actions.js';
import { actionsOnly, deniedWith, useAccessControl, without, type PolicyDocument, type Principal } from './support/access-control.js';
import { callsIn } from './support/aws-calls.js';
import { runCli, type CliResult } from './support/cli.js';

const REGION = 'us-east-1';
type Command = 'up' | 'status' | 'doctor' | 'connect' | 'teardown';

/** One step of a stack's life: a command the user runs, or a change someone makes behind its back. */
interface Step {
  name: string;
  command?: Command;
  args?: (stack: string) => string[];
  drift?: (admin: Principal, stack: string) => Promise<void>;
  /** The `iam-policy --for` list its user holds when its command's own is not enough (up --with-lambda also grants). */
  policy?: string;
  /** Whether later steps depend on what it did (the read-only commands do not). */
  changesState: boolean;
}

/**
 * What `up` repairs on its next run, so that the run makes every repairing call: a rule added to
 * the cluster's security group, the secret scheduled for deletion, deletion protection off; and a
 * managed policy on the role, which teardown detaches.
 */
async function driftBehindItsBack(admin: Principal, stack: string): Promise<void> {
  const c = admin.clientConfig;
  const ec2 = new EC2Client(c);
  const rds = new RDSClient(c);
  const [clusterSg] = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [`${stack}-cluster-sg`] }] }))).SecurityGroups!;
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: clusterSg!.GroupId!,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.9.0.0/16' }] }],
    }),
  );
  await new SecretsManagerClient(c).send(new DeleteSecretCommand({ SecretId: `rdsproxy-setup/${stack}/master`, RecoveryWindowInDays: 7 }));
  await rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: `${stack}-cluster`, DeletionProtection: false, ApplyImmediately: true }));
  const iam = new IAMClient(c);
  const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'rds:DescribeDBProxies', Resource: '*' }] });
  const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: `${stack}-extra`, PolicyDocument: document }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: `rdsproxy-${stack}-${REGION}`, PolicyArn: Policy!.Arn! }));
}

const LIFE: Step[] = [
  { name: 'up', command: 'up', args: (s) => ['up', '--name', s], changesState: true },
  { name: 'drift', drift: driftBehindItsBack, changesState: true },
  { name: 'up, repairing', command: 'up', args: (s) => ['up', '--name', s, '--borrow-timeout', '60'], changesState: true },
  { name: 'up --with-lambda', command: 'up', policy: 'up,grant', args: (s) => ['up', '--name', s, '--borrow-timeout', '60', '--with-lambda'], changesState: true },
  { name: 'status', command: 'status', args: (s) => ['status', '--name', s], changesState: false },
  { name: 'doctor', command: 'doctor', args: (s) => ['doctor', '--name', s, '--json'], changesState: false },
  { name: 'connect', command: 'connect', args: (s) => ['connect', '--name', s, '--print-env'], changesState: false },
  { name: 'teardown', command: 'teardown', args: (s) => ['teardown', '--name', s, '--yes'], changesState: true },
];

/** The table's actions the CLI calls that this life does not, and where they are proven. */
const CALLED_ELSEWHERE: Record<string, string> = {
  'rds:ModifyDBProxy': 'drift of the proxy settings (up-repairs-drift.test.ts, without access control)',
  'rds:ModifyDBSubnetGroup': 'drift of the subnets (test/unit/steps/subnet-group.test.ts; the sandbox models it: rds-subnet-groups.test.ts)',
  'ec2:DescribeVpcEndpoints': 'doctor-access-denied.test.ts (a proxy that cannot reach the internet)',
  'kms:DescribeKey': 'doctor-access-denied.test.ts (a secret with a customer managed key)',
  'kms:GetKeyPolicy': 'doctor-access-denied.test.ts (a secret with a customer managed key)',
  'ec2:AuthorizeSecurityGroupEgress': 'grant-access-control.test.ts (a client group that may not reach the proxy)',
  'ec2:RevokeSecurityGroupEgress': 'grant-access-control.test.ts',
  'iam:UntagRole': 'grant-access-control.test.ts',
  'iam:TagRole': 'grant-access-control.test.ts (a role client\'s records; up tags only when it creates)',
  'iam:AttachRolePolicy': 'grant-lambda.test.ts and grant-faults.test.ts, without access control (the sandbox with access control does not load AWS\'s managed policies)',
  'iam:GetAccountSummary': 'grant-refusals.test.ts, without access control (a role that would need a managed policy attached)',
  'rds:EnableHttpEndpoint': 'the user commands and up --data-api (users.test.ts, users-iam-mode.test.ts: the Data API runs on PostgreSQL)',
  'rds:DisableHttpEndpoint': 'user remove --close-data-api (users.test.ts)',
  'rds-data:ExecuteStatement': 'the user commands and doctor --user (users.test.ts, users-iam-mode.test.ts)',
  'rds-data:BeginTransaction': 'user add and user remove (users.test.ts)',
  'rds-data:CommitTransaction': 'user add and user remove (users.test.ts)',
  'rds-data:RollbackTransaction': 'a statement of user add or remove that fails (test/unit/users/data-api.test.ts; the sandbox models it: rds-data-postgres.test.ts)',
  'lambda:InvokeFunction': 'connect --from-lambda (up-with-lambda.test.ts: the function connects to the test PostgreSQL, which this life has not)',
  'lambda:UpdateFunctionCode': 'up --with-lambda with a changed bundle (up-with-lambda.test.ts)',
};

/** What the read-only commands and teardown call only in some states, none of which this life reaches. */
const CALLED_IN_SOME_STATES: Record<string, string> = {
  'iam:ListRoleTags': 'when GetRole leaves the tags out',
  'rds:DescribeDBInstances': 'connect: when the proxy\'s target is an RDS instance',
  'ec2:DescribeVpcs': 'doctor: with --client-sg',
  'ec2:DescribeVpcEndpoints': 'doctor: when the proxy may not reach the internet',
  'kms:DescribeKey': 'doctor: for a secret with a customer managed key',
  'kms:GetKeyPolicy': 'doctor: for a secret with a customer managed key',
  'rds-data:ExecuteStatement': "doctor: with --user, when the cluster's Data API is on",
  'lambda:GetFunctionConfiguration': 'doctor: with --lambda; status and teardown: when a function is among the stack\'s clients',
  'lambda:ListTags': 'status and teardown: when a function is among the stack\'s clients',
  'lambda:UntagResource': 'teardown: when the stack has a function among its clients',
  'lambda:UpdateFunctionConfiguration': 'teardown: when the stack has a function among its clients',
  'iam:ListRolePolicies': 'status: when the stack has clients',
  'iam:ListAttachedRolePolicies': 'status: when the stack has clients',
  'iam:GetRolePolicy': 'status and teardown: when the stack has clients',
  'iam:PutRolePolicy': 'teardown: when a client\'s role keeps the connect policy for another client',
  'iam:UntagRole': 'teardown: when the stack has clients',
  'ec2:DeleteTags': 'teardown: when the stack has clients',
  'ec2:RevokeSecurityGroupIngress': 'teardown: when a grant added a rule',
  'ec2:RevokeSecurityGroupEgress': 'teardown: when a grant added an egress rule',
  'lambda:GetFunction': 'connect: with --from-lambda',
  'lambda:InvokeFunction': 'connect: with --from-lambda',
};

/** fn over the items, at most `limit` at a time; the results in the items' order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

interface StepResult {
  step: Step;
  result?: CliResult;
  calls: Set<string>;
}

describe('iam-policy in a sandbox with moto\'s access control on', () => {
  const acl = useAccessControl();
  let stacks = 0;
  const policies = new Map<string, PolicyDocument>();

  async function policyFor(commands: string): Promise<PolicyDocument> {
    if (!policies.has(commands)) {
      const printed = await runCli(['iam-policy', '--for', commands, '--region', REGION, '--json'], {});
      policies.set(commands, JSON.parse(printed.stdout) as PolicyDocument);
    }
    return policies.get(commands)!;
  }

  async function runStep(step: Step, stack: string, user: Principal): Promise<StepResult> {
    if (step.drift) {
      await step.drift(acl.admin, stack);
      return { step, calls: new Set() };
    }
    const result = await runCli([...step.args!(stack), '--verbose'], user.env);
    return { step, result, calls: callsIn(result.stderr) };
  }

  /** Runs the steps for a new stack, each as the user the function gives for it; stops at the first failure. */
  async function live(steps: readonly Step[], userFor: (step: Step) => Principal): Promise<StepResult[]> {
    const stack = `life-${++stacks}`;
    const done: StepResult[] = [];
    for (const step of steps) {
      const r = await runStep(step, stack, userFor(step));
      done.push(r);
      if (r.result && r.result.code !== 0) break;
    }
    return done;
  }

  const succeeded = (results: StepResult[]) => results.map((r) => `${r.step.name}: ${r.result ? r.result.code : 'done'}`);
  let full: Principal;
  let lifeWithAll: StepResult[];

  beforeAll(async () => {
    full = await acl.userWith(actionsOnly(await policyFor('all')));
    lifeWithAll = await live(LIFE, () => full);
  });

  it('lets a user holding exactly --for all run up, repair, status, doctor, connect --print-env and teardown', () => {
    expect(succeeded(lifeWithAll), lifeWithAll.map((r) => r.result?.stderr ?? '').join('\n')).toEqual(LIFE.map((s) => `${s.name}: ${s.drift ? 'done' : 0}`));
    const doctor = JSON.parse(lifeWithAll.find((r) => r.step.command === 'doctor')!.result!.stdout) as { checks: { evidence: string }[] };
    expect(doctor.checks.filter((c) => c.evidence.includes('AccessDenied'))).toEqual([]);
  });

  it('lets each command run with exactly its own --for <command>', async () => {
    const users = new Map<string, Principal>();
    for (const policy of new Set(LIFE.flatMap((s) => (s.command ? [s.policy ?? s.command] : [])))) users.set(policy, await acl.userWith(actionsOnly(await policyFor(policy))));
    const results = await live(LIFE, (step) => users.get(step.policy ?? step.command!) ?? full);
    expect(succeeded(results), results.map((r) => r.result?.stderr ?? '').join('\n')).toEqual(LIFE.map((s) => `${s.name}: ${s.drift ? 'done' : 0}`));
    // And no more than it calls (up's policy also holds what its rollback deletes and the repairs moto cannot provoke).
    const implied = new Set(IAM_ACTIONS.filter((r) => r.authorizedWith).map((r) => r.action));
    for (const command of ['status', 'doctor', 'connect', 'teardown'] as const) {
      const called = new Set(results.filter((r) => r.step.command === command).flatMap((r) => [...r.calls]));
      const unused = [...new Set((await policyFor(command)).Statement.flatMap((s) => [s.Action].flat()))];
      expect(unused.filter((a) => !called.has(a) && !implied.has(a) && !(a in CALLED_IN_SOME_STATES)), command).toEqual([]);
    }
  });

  it('calls every action of the table the CLI calls itself, but those proven elsewhere', () => {
    const called = new Set(lifeWithAll.flatMap((r) => [...r.calls]));
    const own = [...new Set(IAM_ACTIONS.filter((r) => !r.authorizedWith).map((r) => r.action))].filter((a) => !a.startsWith('sts:'));
    expect(own.filter((a) => !called.has(a) && !(a in CALLED_ELSEWHERE))).toEqual([]);
    expect(Object.keys(CALLED_ELSEWHERE).filter((a) => called.has(a))).toEqual([]);
  });

  it('fails some command without any one action it calls, naming the action and pointing to iam-policy --for that command', async () => {
    const all = await policyFor('all');
    const called = [...new Set(lifeWithAll.flatMap((r) => [...r.calls]))].filter((a) => !a.startsWith('sts:')).sort();
    // What each step's own policy holds: a step that calls an action its policy lacks goes on without it (the test above).
    const held = await Promise.all(
      LIFE.map(async (step) => new Set(step.command ? (await policyFor(step.policy ?? step.command)).Statement.flatMap((st) => [st.Action].flat()) : [])),
    );
    // Each action gets a stack of its own, so a few run side by side; the checks then go in order.
    const runs = await mapConcurrently(called, 3, async (action) => {
      const first = lifeWithAll.findIndex((r, i) => r.calls.has(action) && held[i]!.has(action));
      const lacking = await acl.userWith(actionsOnly(without(all, ...deniedWith(action))));
      // What the steps before it did is needed; what they only read is not.
      const steps = [...LIFE.slice(0, first).filter((s) => s.changesState), LIFE[first]!];
      return { action, first, results: await live(steps, (step) => (step === LIFE[first] ? lacking : full)) };
    });
    for (const { action, first, results } of runs) {
      const last = results.at(-1)!;
      expect(last.step, `${action}: the steps before ${LIFE[first]!.name} failed: ${last.result?.stderr}`).toBe(LIFE[first]);
      const { stdout, stderr, code } = last.result!;
      if (last.step.command === 'doctor') {
        const checks = (JSON.parse(stdout) as { checks: { status: string; evidence: string; fix?: string }[] }).checks;
        // Doctor goes on without a read: the checks that need it skip; the simulator's questions go to the role's policies.
        const simulator = action === 'iam:SimulatePrincipalPolicy';
        const naming = checks.filter((c) => c.evidence.includes(simulator ? 'SimulatePrincipalPolicy was denied' : `AccessDenied on ${action}`));
        expect(naming.length, `${action}: doctor names it`).toBeGreaterThan(0);
        for (const c of naming) {
          if (!simulator) expect(c.status, action).toBe('skip');
          expect(simulator ? c.evidence : c.fix, action).toContain('`rdsproxy-setup iam-policy --for doctor`');
        }
      } else if (last.step.policy && code === 0) {
        // up --with-lambda ends with grant's client checks (doctor's), which go on without a read: a check names it.
        const simulator = deniedWith(action).includes('iam:SimulatePrincipalPolicy');
        expect(stdout, `${action}: ${last.step.name} succeeded without it, and no client check names it`).toMatch(
          simulator ? new RegExp(`SimulatePrincipalPolicy was denied|AccessDenied on ${action}`) : new RegExp(`AccessDenied on ${action}`),
        );
      } else {
        expect(code, `${action}: ${last.step.name} succeeded without it`).not.toBe(0);
        expect(stderr, action).toContain(action);
        const hinted = last.step.policy?.split(',') ?? [last.step.command!];
        expect(hinted.some((command) => stderr.includes(`\`rdsproxy-setup iam-policy --for ${command}\``)), `${action}: ${stderr}`).toBe(true);
      }
    }
  }, 600_000);
});
