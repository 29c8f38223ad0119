/**
 * A local evaluation of IAM policy documents, used when IAM's SimulatePrincipalPolicy is denied
 * or unavailable. It covers what decides the proxy's and a client's permissions: Allow and Deny,
 * Action/NotAction and Resource/NotResource with `*` and `?` wildcards, and string conditions
 * such as `kms:ViaService`. Conditions it cannot evaluate are reported, never guessed.
 */

import { parseArn } from '../config/arns.js';

export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement?: PolicyStatement | PolicyStatement[];
}

/** A policy and where it came from ("inline policy read-secret", a managed policy ARN). */
export interface NamedPolicy {
  source: string;
  document: PolicyDocument;
}

export interface PolicyRequest {
  action: string;
  resource: string;
  /** Condition keys and their values for this request, e.g. kms:ViaService. */
  context?: Record<string, string>;
}

export interface PolicyDecision {
  decision: 'allowed' | 'explicit-deny' | 'implicit-deny';
  /** The statement that decided it (the Allow, or the Deny). */
  statement?: { source: string; sid?: string };
  /** Condition operators this evaluation could not judge; statements using them did not apply. */
  unevaluated: string[];
}

/** IAM returns policy documents URL-encoded; resource policies come as plain JSON. */
export function parsePolicy(text: string): PolicyDocument {
  const json = text.trimStart().startsWith('{') ? text : decodeURIComponent(text);
  return JSON.parse(json) as PolicyDocument;
}

export function statements(document: PolicyDocument): PolicyStatement[] {
  const s = document.Statement;
  return s === undefined ? [] : Array.isArray(s) ? s : [s];
}

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** IAM wildcards: `*` any run of characters, `?` one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, ignoreCase ? 'is' : 's').test(value);
}

/** Actions compare without regard to case; resources with it. */
function matchesAction(statement: PolicyStatement, action: string): boolean {
  if (statement.NotAction !== undefined) return !list(statement.NotAction).some((p) => wildcardMatch(p, action, true));
  return list(statement.Action).some((p) => wildcardMatch(p, action, true));
}

function matchesResource(statement: PolicyStatement, resource: string): boolean {
  if (statement.NotResource !== undefined) return !list(statement.NotResource).some((p) => wildcardMatch(p, resource));
  // A trust or key policy statement has no Resource: it is about the resource it is attached to.
  if (statement.Resource === undefined) return true;
  return list(statement.Resource).some((p) => wildcardMatch(p, resource));
}

type ConditionVerdict = boolean | 'unevaluated';

const STRING_OPERATORS: Record<string, (pattern: string, value: string) => boolean> = {
  StringEquals: (p, v) => p === v,
  StringEqualsIgnoreCase: (p, v) => p.toLowerCase() === v.toLowerCase(),
  StringLike: (p, v) => wildcardMatch(p, v),
  ArnEquals: (p, v) => p === v,
  ArnLike: (p, v) => wildcardMatch(p, v),
  Bool: (p, v) => p.toLowerCase() === v.toLowerCase(),
};
const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

function evaluateOperator(
  operator: string,
  entries: Record<string, string | string[] | boolean>,
  context: Record<string, string>,
): ConditionVerdict {
  const bare = operator.replace(/^(ForAnyValue|ForAllValues):/, '');
  const ifExists = bare.endsWith('IfExists');
  const name = ifExists ? bare.slice(0, -'IfExists'.length) : bare;
  const negatedBase = NEGATED[name];
  const compare = STRING_OPERATORS[negatedBase ?? name];
  if (!compare) return 'unevaluated';
  const lowerContext = new Map(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  for (const [key, raw] of Object.entries(entries)) {
    const patterns = (Array.isArray(raw) ? raw : [raw]).map(String);
    const value = lowerContext.get(key.toLowerCase());
    if (value === undefined) {
      // A missing key satisfies only the IfExists and negated forms.
      if (ifExists || negatedBase) continue;
      return false;
    }
    const any = patterns.some((p) => compare(p, value));
    if (negatedBase ? any : !any) return false;
  }
  return true;
}

function conditionsHold(statement: PolicyStatement, context: Record<string, string>): ConditionVerdict {
  let verdict: ConditionVerdict = true;
  for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
    const v = evaluateOperator(operator, entries, context);
    if (v === false) return false;
    if (v === 'unevaluated') verdict = 'unevaluated';
  }
  return verdict;
}

/** Explicit Deny wins, then any Allow; nothing matching is an implicit deny. */
export function evaluatePolicies(policies: readonly NamedPolicy[], request: PolicyRequest): PolicyDecision {
  const unevaluated = new Set<string>();
  let allow: PolicyDecision['statement'];
  for (const policy of policies) {
    for (const statement of statements(policy.document)) {
      if (!matchesAction(statement, request.action) || !matchesResource(statement, request.resource)) continue;
      const holds = conditionsHold(statement, request.context ?? {});
      if (holds === 'unevaluated') {
        Object.keys(statement.Condition ?? {}).forEach((op) => unevaluated.add(op));
        continue;
      }
      if (!holds) continue;
      const where = { source: policy.source, sid: statement.Sid };
      if (statement.Effect === 'Deny') return { decision: 'explicit-deny', statement: where, unevaluated: [...unevaluated] };
      if (statement.Effect === 'Allow') allow ??= where;
    }
  }
  return { decision: allow ? 'allowed' : 'implicit-deny', statement: allow, unevaluated: [...unevaluated] };
}

/** `arn:<partition>:iam::<account>:root`, in the role's own partition (aws, aws-cn, aws-us-gov). */
function accountRoot(roleArn: string, account: string): string {
  return `arn:${parseArn(roleArn)?.partition ?? 'aws'}:iam::${account}:root`;
}

/**
 * Whether a resource-based statement's Principal names this role: `*`, the role's ARN, its
 * account (id or `:root`).
 */
export function principalMatches(principal: unknown, roleArn: string, account: string): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  const aws = (principal as { AWS?: string | string[] }).AWS;
  return list(aws).some(
    (p) => p === '*' || p === roleArn || p === account || p === accountRoot(roleArn, account) || wildcardMatch(p, roleArn),
  );
}

/** Whether a trust policy lets this AWS service assume the role. */
export function trustsService(document: PolicyDocument, service: string): boolean {
  return statements(document).some((s) => {
    if (s.Effect !== 'Allow' || !matchesAction(s, 'sts:AssumeRole')) return false;
    const p = s.Principal;
    if (p === '*') return true;
    if (typeof p !== 'object' || p === null) return false;
    return list((p as { Service?: string | string[] }).Service).includes(service);
  });
}
