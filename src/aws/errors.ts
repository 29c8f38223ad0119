import { CliError } from '../errors.js';

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
]);

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'AuthorizationError',
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

export function isAccessDenied(err: unknown): boolean {
  const name = awsErrorName(err);
  return name !== undefined && ACCESS_DENIED.has(name);
}

export function isErrorNamed(err: unknown, ...names: string[]): boolean {
  const name = awsErrorName(err);
  return name !== undefined && names.includes(name);
}

/** Wraps an AWS error as "<doing what>: <AWS message>", keeping the original as cause. */
export function wrapAwsError(doing: string, err: unknown): CliError {
  if (err instanceof CliError) return err;
  const name = awsErrorName(err) ?? 'Error';
  const message = err instanceof Error ? err.message : String(err);
  const hint = isAccessDenied(err)
    ? 'The credentials in use lack a permission: see "IAM permissions" in the README.'
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
