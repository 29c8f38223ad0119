import { CliError } from '../errors.js';
import { describeUnanswered, unansweredCall, unansweredHint } from './unanswered.js';

/** What the SDK puts on every service error; anything else is treated as unknown. */
interface AwsErrorShape {
  name?: string;
  message?: string;
  Code?: string;
}

/**
 * Every name under which an AWS service says "no such resource": the SDK's exception names for
 * modelled errors, EC2's documented error codes (EC2 models none).
 */
export const NOT_FOUND_ERRORS: ReadonlySet<string> = new Set([
  'DBProxyNotFoundFault',
  'DBProxyTargetGroupNotFoundFault',
  'DBProxyTargetNotFoundFault',
  'DBClusterNotFoundFault',
  'DBInstanceNotFoundFault',
  'DBSubnetGroupNotFoundFault',
  'DBClusterSnapshotNotFoundFault',
  'ResourceNotFoundException',
  'NoSuchEntityException',
  'InvalidGroup.NotFound',
  'InvalidVpcID.NotFound',
  'InvalidSubnetID.NotFound',
  'InvalidPermission.NotFound',
  'InvalidSecurityGroupRuleId.NotFound',
  'NotFoundException',
  'ParameterNotFound',
]);

/**
 * Every name under which a create says "a resource of that name exists" (the SDK's exception
 * names; EC2's documented code): after a lost answer, the SDK's retry of a create that AWS did
 * perform gets one of these.
 */
export const ALREADY_EXISTS_ERRORS: ReadonlySet<string> = new Set([
  'DBSubnetGroupAlreadyExistsFault',
  'DBClusterAlreadyExistsFault',
  'DBInstanceAlreadyExistsFault',
  'DBProxyAlreadyExistsFault',
  'EntityAlreadyExistsException',
  'ResourceExistsException',
  'InvalidGroup.Duplicate',
]);

/** The credentials are valid, but no policy allows the call. */
const MISSING_PERMISSION = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'AuthorizationError',
]);

const ACCESS_DENIED = new Set([
  ...MISSING_PERMISSION,
  'AuthFailure',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
]);

export function awsErrorName(err: unknown): string | undefined {
  if (err instanceof CliError) return err.source === 'aws' ? err.code : undefined;
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as AwsErrorShape;
  return e.name ?? e.Code;
}

export function isNotFound(err: unknown): boolean {
  const name = awsErrorName(err);
  return name !== undefined && NOT_FOUND_ERRORS.has(name);
}

/** Runs a read; AWS's not-found becomes undefined (find and the waiters take absence as an answer). */
export async function unlessNotFound<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** A create refused because its name is taken, however wrapped. */
export function isAlreadyExists(err: unknown): boolean {
  return causes(err).some((e) => {
    const name = awsErrorName(e);
    return name !== undefined && ALREADY_EXISTS_ERRORS.has(name);
  });
}

export function isAccessDenied(err: unknown): boolean {
  const name = awsErrorName(err);
  return name !== undefined && ACCESS_DENIED.has(name);
}

/** The error, then what it wraps (CliError → SDK error), outermost first. */
function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = err; e !== undefined && e !== null && chain.length < 8; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

/** AWS refused the call for want of a permission (not for bad or expired credentials), however wrapped. */
export function isMissingPermission(err: unknown): boolean {
  return causes(err).some((e) => {
    const name = awsErrorName(e);
    return name !== undefined && MISSING_PERMISSION.has(name);
  });
}

/** The IAM action of each call AWS refused, noted by the client factory (the SDK's error does not carry it). */
const refusedCalls = new WeakMap<object, string>();

export function noteRefusedCall(err: unknown, action: string): void {
  if (typeof err === 'object' && err !== null && !refusedCalls.has(err)) refusedCalls.set(err, action);
}

/** "User: … is not authorized to perform: rds:CreateDBCluster on resource: …" → "rds:CreateDBCluster". */
export function deniedActionIn(text: string): string | undefined {
  return /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/i.exec(text)?.[1];
}

/**
 * The permission a refusal lacks: the action AWS's message names (it may be another than the
 * call's own, such as iam:PassRole for rds:CreateDBProxy), else the refused call's action.
 * Undefined when the error is no refusal, or names nothing.
 */
export function deniedAction(err: unknown): string | undefined {
  if (!isMissingPermission(err)) return undefined;
  const chain = causes(err);
  for (const e of chain) {
    const named = e instanceof Error ? deniedActionIn(e.message) : undefined;
    if (named) return named;
  }
  for (const e of chain) {
    const action = typeof e === 'object' && e !== null ? refusedCalls.get(e) : undefined;
    if (action) return action;
  }
  return undefined;
}

/** What to tell the user whose credentials lack a permission: which one, and the command that prints the policy. */
export function missingPermissionHint(action: string | undefined, command?: string): string {
  const what = action ? `the permission ${action}` : 'a permission this call needs';
  return `The credentials in use lack ${what}: \`rdsproxy-setup iam-policy${command ? ` --for ${command}` : ''}\` prints the least-privilege policy${command ? ` ${command} needs` : ''}.`;
}

export function isErrorNamed(err: unknown, ...names: string[]): boolean {
  const name = awsErrorName(err);
  return name !== undefined && names.includes(name);
}

/** Wraps an AWS error as "<doing what>: <AWS message>", keeping the original as cause. */
export function wrapAwsError(doing: string, err: unknown): CliError {
  if (err instanceof CliError) return err;
  const unanswered = unansweredCall(err);
  if (unanswered) {
    return new CliError(`${doing}: ${describeUnanswered(unanswered)}`, {
      source: 'aws',
      code: unanswered.timedOut ? 'EndpointTimeout' : 'EndpointUnreachable',
      cause: err,
      hint: unansweredHint(unanswered),
    });
  }
  const name = awsErrorName(err) ?? 'Error';
  const message = err instanceof Error ? err.message : String(err);
  const hint = isMissingPermission(err)
    ? missingPermissionHint(deniedAction(err))
    : isAccessDenied(err)
      ? 'AWS refused the credentials in use: check them with `aws sts get-caller-identity`.'
      : undefined;
  return new CliError(`${doing}: ${message}`, { source: 'aws', code: name, cause: err, hint });
}

/** Runs one AWS call and wraps any failure with what we were doing. */
export async function aws<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw wrapAwsError(doing, err);
  }
}
