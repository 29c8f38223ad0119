import { DBProxyNotFoundFault, RDSServiceException } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import {
  aws,
  awsErrorName,
  deniedAction,
  deniedActionIn,
  isAccessDenied,
  isMissingPermission,
  missingPermissionHint,
  noteRefusedCall,
  unlessNotFound,
  isErrorNamed,
  isNotFound,
  NOT_FOUND_ERRORS,
  ALREADY_EXISTS_ERRORS,
  isAlreadyExists,
  wrapAwsError,
} from '../../../src/aws/errors.js';
import { CliError, UsageError } from '../../../src/errors.js';

/** A service error as the SDK raises it for a name it has no class for. */
function serviceError(name: string, message = `${name} happened`, httpStatusCode = 400) {
  return new RDSServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode } });
}

const proxyNotFound = () => new DBProxyNotFoundFault({ message: 'DBProxy demo-proxy not found.', $metadata: {} });

/**
 * EC2 models no errors; these are its documented codes for a missing resource
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
 */
const EC2_NOT_FOUND_CODES = [
  'InvalidGroup.NotFound',
  'InvalidVpcID.NotFound',
  'InvalidSubnetID.NotFound',
  'InvalidPermission.NotFound',
  'InvalidSecurityGroupRuleId.NotFound',
];

/** The exception classes the SDK clients this tool uses export, by name. */
async function modelledErrorNames(): Promise<Set<string>> {
  const clients = await Promise.all([
    import('@aws-sdk/client-rds'),
    import('@aws-sdk/client-iam'),
    import('@aws-sdk/client-secrets-manager'),
    import('@aws-sdk/client-kms'),
    import('@aws-sdk/client-lambda'),
    import('@aws-sdk/client-cloudwatch-logs'),
    import('@aws-sdk/client-ssm'),
  ]);
  const names = clients.flatMap((client) =>
    Object.entries(client)
      .filter(([, value]) => typeof value === 'function' && (value as { prototype?: unknown }).prototype instanceof Error)
      .map(([name]) => name),
  );
  return new Set(names);
}

describe('classifying AWS errors by name', () => {
  it('knows only names AWS answers with: modelled exceptions, or EC2 codes', async () => {
    const modelled = await modelledErrorNames();

    const unknown = [...NOT_FOUND_ERRORS].filter((name) => !modelled.has(name) && !EC2_NOT_FOUND_CODES.includes(name));

    expect(unknown).toEqual([]);
  });

  it('knows only "already exists" names AWS answers with: modelled exceptions, or the EC2 code for a duplicate group', async () => {
    const modelled = await modelledErrorNames();

    const unknown = [...ALREADY_EXISTS_ERRORS].filter((name) => !modelled.has(name) && name !== 'InvalidGroup.Duplicate');

    expect(unknown).toEqual([]);
  });

  it('recognises "already exists" however the error is wrapped, and nothing else as it', () => {
    expect(isAlreadyExists(wrapAwsError('creating DB cluster x', serviceError('DBClusterAlreadyExistsFault')))).toBe(true);
    expect(isAlreadyExists({ Code: 'InvalidGroup.Duplicate' })).toBe(true);
    expect(isAlreadyExists(serviceError('DBClusterNotFoundFault'))).toBe(false);
    expect(isAlreadyExists(new Error('DBClusterAlreadyExistsFault'))).toBe(false);
  });

  it.each(['DBProxyNotFoundFault', 'DBClusterNotFoundFault', 'NoSuchEntityException', 'InvalidGroup.NotFound', 'ResourceNotFoundException'])(
    'treats %s as not found',
    (name) => {
      expect(isNotFound(serviceError(name))).toBe(true);
    },
  );

  it('recognises the SDK exception class for a missing proxy as not found', () => {
    expect(isNotFound(proxyNotFound())).toBe(true);
  });

  it('does not treat other errors as not found', () => {
    expect(isNotFound(serviceError('DBProxyAlreadyExistsFault'))).toBe(false);
    expect(isNotFound(new Error('DBProxyNotFoundFault'))).toBe(false);
    expect(isNotFound(undefined)).toBe(false);
    expect(isNotFound('DBProxyNotFoundFault')).toBe(false);
  });

  it.each(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'ExpiredToken'])(
    'treats %s as access denied',
    (name) => {
      expect(isAccessDenied(serviceError(name))).toBe(true);
    },
  );

  it('does not treat a throttling error as access denied', () => {
    expect(isAccessDenied(serviceError('Throttling'))).toBe(false);
  });

  it('finds the name of an error that carries only a Code', () => {
    expect(awsErrorName({ Code: 'InvalidGroup.NotFound' })).toBe('InvalidGroup.NotFound');
    expect(isNotFound({ Code: 'InvalidGroup.NotFound' })).toBe(true);
  });
});

describe('isErrorNamed', () => {
  it('matches any of the given names', () => {
    const err = serviceError('InvalidDBClusterStateFault');
    expect(isErrorNamed(err, 'DBClusterNotFoundFault', 'InvalidDBClusterStateFault')).toBe(true);
    expect(isErrorNamed(err, 'DBClusterNotFoundFault')).toBe(false);
  });
});

describe('wrapAwsError', () => {
  it('says what was being done, then the AWS message', () => {
    const wrapped = wrapAwsError('creating RDS proxy demo', serviceError('DBProxyQuotaExceededFault', 'Quota exceeded.'));

    expect(wrapped).toBeInstanceOf(CliError);
    expect(wrapped.message).toBe('creating RDS proxy demo: Quota exceeded.');
    expect(wrapped.source).toBe('aws');
    expect(wrapped.exitCode).toBe(1);
  });

  it('keeps the AWS error name as code so the wrapped error still classifies', () => {
    const original = proxyNotFound();
    const wrapped = wrapAwsError('describing RDS proxy demo-proxy', original);

    expect(wrapped.code).toBe('DBProxyNotFoundFault');
    expect(wrapped.cause).toBe(original);
    expect(isNotFound(wrapped)).toBe(true);
    expect(isErrorNamed(wrapped, 'DBProxyNotFoundFault')).toBe(true);
    expect(isAccessDenied(wrapped)).toBe(false);
  });

  it('names the missing permission and the command that prints the policy when access is denied', () => {
    const refusal = serviceError('AccessDenied', 'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:CreateRole on resource: role r', 403);
    const wrapped = wrapAwsError('creating IAM role r', refusal);

    expect(wrapped.hint).toBe('The credentials in use lack the permission iam:CreateRole: `rdsproxy-setup iam-policy` prints the least-privilege policy.');
    expect(isAccessDenied(wrapped)).toBe(true);
  });

  it('points at the credentials, not at a policy, when AWS refuses the credentials themselves', () => {
    expect(wrapAwsError('reading RDS proxy p', serviceError('ExpiredToken', 'The security token included in the request is expired', 403)).hint).toBe(
      'AWS refused the credentials in use: check them with `aws sts get-caller-identity`.',
    );
  });

  it('gives no hint for an error that is not about permissions', () => {
    expect(wrapAwsError('x', serviceError('DBProxyQuotaExceededFault')).hint).toBeUndefined();
  });

  it('passes a CliError through unchanged rather than wrapping it twice', () => {
    const inner = wrapAwsError('describing RDS proxy demo', proxyNotFound());
    const usage = new UsageError('--name is bad');

    expect(wrapAwsError('creating RDS proxy demo', inner)).toBe(inner);
    expect(wrapAwsError('creating RDS proxy demo', usage)).toBe(usage);
  });

  it('does not take the code of a tool error for an AWS error name', () => {
    const toolError = new CliError('Timed out', { code: 'DBProxyNotFoundFault' });

    expect(isNotFound(toolError)).toBe(false);
  });

  it('wraps a non-Error rejection using its text', () => {
    const wrapped = wrapAwsError('deleting secret s', 'socket closed');

    expect(wrapped.message).toBe('deleting secret s: socket closed');
    expect(wrapped.code).toBe('Error');
  });
});

describe('aws()', () => {
  it('returns the result of a call that succeeds', async () => {
    await expect(aws('describing RDS proxy demo', async () => 'answer')).resolves.toBe('answer');
  });

  it('rejects with "<doing>: <AWS message>" keeping the AWS error name as code', async () => {
    const failure = aws('creating RDS proxy demo', async () => {
      throw serviceError('DBProxyAlreadyExistsFault', 'Cannot create the DB proxy because it already exists.');
    });

    await expect(failure).rejects.toMatchObject({
      name: 'CliError',
      message: 'creating RDS proxy demo: Cannot create the DB proxy because it already exists.',
      code: 'DBProxyAlreadyExistsFault',
      source: 'aws',
    });
  });

  it('lets isNotFound see through the wrapping', async () => {
    const error = await aws('describing RDS proxy demo', async () => {
      throw proxyNotFound();
    }).catch((e: unknown) => e);

    expect(isNotFound(error)).toBe(true);
  });
});

describe('unlessNotFound', () => {
  it('gives the read result when the resource exists', async () => {
    expect(await unlessNotFound(async () => 'found')).toBe('found');
  });

  it('gives undefined when AWS says the resource does not exist', async () => {
    expect(await unlessNotFound(() => Promise.reject(proxyNotFound()))).toBeUndefined();
  });

  it('lets every other error through', async () => {
    await expect(unlessNotFound(() => Promise.reject(serviceError('AccessDenied', 'no', 403)))).rejects.toThrow('no');
  });
});

describe('the permission a refusal lacks', () => {
  const refusal = (message: string) => serviceError('AccessDeniedException', message, 400);

  it('is the action AWS\'s message names, however deep the refusal is wrapped', () => {
    const wrapped = wrapAwsError('reading secret s', refusal('User: arn:aws:iam::123456789012:user/ci is not authorized to perform: secretsmanager:GetResourcePolicy on resource: s because no identity-based policy allows the secretsmanager:GetResourcePolicy action'));
    const rewrapped = new CliError('up failed', { cause: wrapped });

    expect(isMissingPermission(rewrapped)).toBe(true);
    expect(deniedAction(rewrapped)).toBe('secretsmanager:GetResourcePolicy');
  });

  it('is the action the message names even when it is another than the refused call\'s', () => {
    const err = serviceError('AccessDenied', 'User: u is not authorized to perform: iam:PassRole on resource: arn:aws:iam::1:role/r', 403);
    noteRefusedCall(err, 'rds:CreateDBProxy');

    expect(deniedAction(err)).toBe('iam:PassRole');
  });

  it('is the refused call\'s action when the message names none', () => {
    const err = serviceError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403);
    noteRefusedCall(err, 'ec2:CreateSecurityGroup');

    expect(deniedAction(wrapAwsError('creating security group g', err))).toBe('ec2:CreateSecurityGroup');
  });

  it('is unknown for an error that is no refusal, or for bad credentials', () => {
    expect(deniedAction(serviceError('Throttling', 'not authorized to perform: rds:X'))).toBeUndefined();
    expect(isMissingPermission(serviceError('ExpiredToken'))).toBe(false);
    expect(deniedActionIn('Access denied')).toBeUndefined();
  });

  it('goes into a hint that names the command whose policy to print', () => {
    expect(missingPermissionHint('rds:DeleteDBProxy', 'teardown')).toBe(
      'The credentials in use lack the permission rds:DeleteDBProxy: `rdsproxy-setup iam-policy --for teardown` prints the least-privilege policy teardown needs.',
    );
    expect(missingPermissionHint(undefined, 'up')).toBe(
      'The credentials in use lack a permission this call needs: `rdsproxy-setup iam-policy --for up` prints the least-privilege policy up needs.',
    );
  });
});
