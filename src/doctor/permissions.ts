import { SimulatePrincipalPolicyCommand, type EvaluationResult } from '@aws-sdk/client-iam';
import type { AwsClients } from '../aws/clients.js';
import { awsErrorName, isAccessDenied, isMissingPermission } from '../aws/errors.js';
import { denialsOf, SkipCheck, type PermissionAnswer, type Permissions } from './check.js';
import { grantFix } from './denials.js';
import { evaluatePolicies, type PolicyRequest } from './policy-evaluation.js';
import type { Denial, PolicyHolder } from './snapshot.js';

/** "simulated by IAM; decided by inline policy x" for the evidence. */
export function describeAnswer(answer: PermissionAnswer): string {
  const by = answer.decidedBy ? `; decided by ${answer.decidedBy}` : '';
  const ignored = answer.unevaluated.length > 0 ? `; statements with conditions ${answer.unevaluated.join(', ')} were not evaluated` : '';
  return `${answer.how}${by}${ignored}`;
}

function describeStatement(source: string, sid?: string): string {
  return sid ? `${source} (statement ${sid})` : source;
}

/** Why the simulator did not answer, and the permission it lacked when it was denied. */
interface Unavailable {
  why: string;
  denial?: Denial;
}

function evaluateLocally(role: PolicyHolder, request: PolicyRequest, { why, denial }: Unavailable): PermissionAnswer {
  if (!role.policies.ok) {
    const denials = [...(denial ? [denial] : []), ...denialsOf(role.policies)];
    throw new SkipCheck(`${why}, and the role's policies could not be read: ${role.policies.error}`, denials.length > 0 ? grantFix(denials) : undefined);
  }
  const d = evaluatePolicies(role.policies.value, request);
  return {
    allowed: d.decision === 'allowed',
    explicitDeny: d.decision === 'explicit-deny',
    how: `evaluated locally from the role's ${role.policies.value.length} inline and attached policies, because ${why}`,
    decidedBy: d.statement ? describeStatement(d.statement.source, d.statement.sid) : undefined,
    unevaluated: d.unevaluated,
  };
}

/** Evaluates every question locally; for tests and for when the simulator must not be called. */
export function localPermissions(why: string): Permissions {
  return { mayPerform: async (role, request) => evaluateLocally(role, request, { why }) };
}

function unavailable(err: unknown, role: PolicyHolder): Unavailable {
  const name = awsErrorName(err) ?? 'error';
  if (isMissingPermission(err)) {
    return {
      why: `SimulatePrincipalPolicy was denied (${name}: \`rdsproxy-setup iam-policy --for doctor\` includes iam:SimulatePrincipalPolicy)`,
      denial: { action: 'iam:SimulatePrincipalPolicy', resource: role.arn },
    };
  }
  if (isAccessDenied(err)) return { why: `SimulatePrincipalPolicy was denied (${name})` };
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return { why: `SimulatePrincipalPolicy is unavailable (${name}${status ? `, HTTP ${status}` : ''})` };
}

function fromSimulation(result: EvaluationResult | undefined): PermissionAnswer {
  const decision = result?.EvalDecision ?? 'implicitDeny';
  const matched = result?.MatchedStatements?.[0]?.SourcePolicyId;
  return {
    allowed: decision === 'allowed',
    explicitDeny: decision === 'explicitDeny',
    how: 'simulated by IAM (SimulatePrincipalPolicy)',
    decidedBy: matched,
    unevaluated: [],
  };
}

/**
 * Asks IAM's policy simulator first. The first answer decides for the whole run: once the
 * simulator is denied or unavailable, every question is evaluated locally and the evidence says so.
 * Answers are kept, so a question asked early (while discovery still runs) is not asked again.
 */
export function simulatedPermissions(clients: AwsClients): Permissions {
  let gate: Promise<Unavailable | undefined> | undefined;
  const answers = new Map<string, Promise<PermissionAnswer>>();

  async function simulate(role: PolicyHolder, request: PolicyRequest): Promise<PermissionAnswer> {
    const iam = await clients.iam();
    const command = new SimulatePrincipalPolicyCommand({
      PolicySourceArn: role.arn,
      ActionNames: [request.action],
      ResourceArns: [request.resource],
      ContextEntries: Object.entries(request.context ?? {}).map(([key, value]) => ({
        ContextKeyName: key,
        ContextKeyValues: [value],
        ContextKeyType: 'string',
      })),
    });
    // The simulator is a probe with a local fallback: one attempt, so that no retry delays the
    // diagnosis. Aborting after a failed attempt makes the SDK's retry loop give up with that error.
    const oneAttempt = new AbortController();
    command.middlewareStack.add(
      (next) => async (args) => {
        try {
          return await next(args);
        } catch (err) {
          oneAttempt.abort();
          throw err;
        }
      },
      { step: 'finalizeRequest', priority: 'low', name: 'doctorSimulatorOneAttempt' },
    );
    const out = await iam.send(command, { abortSignal: oneAttempt.signal });
    return fromSimulation(out.EvaluationResults?.[0]);
  }

  async function decide(role: PolicyHolder, request: PolicyRequest): Promise<PermissionAnswer> {
    if (!gate) {
      const first = simulate(role, request).then(
        (answer) => ({ answer }),
        (err: unknown) => ({ reason: unavailable(err, role) }),
      );
      gate = first.then((r) => ('reason' in r ? r.reason : undefined));
      const r = await first;
      return 'answer' in r ? r.answer : evaluateLocally(role, request, r.reason);
    }
    const reason = await gate;
    // The first answer decided for the run; a denial names the role this question was about.
    if (reason) return evaluateLocally(role, request, reason.denial ? { ...reason, denial: { ...reason.denial, resource: role.arn } } : reason);
    try {
      return await simulate(role, request);
    } catch (err) {
      return evaluateLocally(role, request, unavailable(err, role));
    }
  }

  return {
    mayPerform(role, request) {
      const key = JSON.stringify([role.arn, request]);
      let answer = answers.get(key);
      if (!answer) {
        answer = decide(role, request);
        answers.set(key, answer);
      }
      return answer;
    },
  };
}
