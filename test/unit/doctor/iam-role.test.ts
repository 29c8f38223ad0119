import {
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  NoSuchEntityException,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../../src/aws/clients.js';
import { simulatedPermissions } from '../../../src/doctor/permissions.js';
import { got } from '../../../src/doctor/read.js';
import { check, checkAll, healthySnapshot, KEY_ARN, proxyRole, ROLE_ARN, SECRET_ARN, value, WITH_LAMBDA } from './healthy-snapshot.js';
import { readRole } from '../../../src/doctor/readers/role.js';
import type { SecretSnapshot } from '../../../src/doctor/snapshot.js';

const iamMock = mockClient(IAMClient);
afterEach(() => iamMock.reset());

describe('iam.role-trust', () => {
  it('fails a role trusted by another service, with the trust policy that repairs it', async () => {
    const snapshot = healthySnapshot();
    const role = proxyRole();
    role.trustPolicy = { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    snapshot.role = got(role);
    const result = await check('iam.role-trust', snapshot);
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('it trusts: lambda.amazonaws.com');
    expect(result.fix).toContain('aws iam update-assume-role-policy --role-name orders-proxy-role');
    expect(result.fix).toContain('"Principal":{"Service":"rds.amazonaws.com"}');
  });

  it('fails iam.role-trust, role-reads-secret and role-kms when the role the proxy names no longer exists', async () => {
    const gone = () => new NoSuchEntityException({ message: 'The role with name orders-proxy-role cannot be found.', $metadata: {} });
    iamMock.on(GetRoleCommand).rejects(gone());
    iamMock.on(ListRolePoliciesCommand).rejects(gone());
    iamMock.on(ListAttachedRolePoliciesCommand).rejects(gone());
    const snapshot = healthySnapshot();
    snapshot.role = await readRole(createAwsClients({ region: 'us-east-1' }), ROLE_ARN);
    const results = await checkAll(snapshot);
    for (const id of ['iam.role-trust', 'iam.role-reads-secret', 'iam.role-kms'] as const) {
      const result = results.get(id)!;
      expect(result.status, id).toBe('fail');
      expect(result.evidence, id).toContain(`${ROLE_ARN} does not exist`);
      expect(result.evidence, id).toContain('cannot be found');
      expect(result.fix, id).toContain('--role-arn');
    }
  });
});

describe('iam.role-reads-secret', () => {
  it('passes on a local evaluation when there is no simulator, and says so', async () => {
    const result = await check('iam.role-reads-secret', healthySnapshot());
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('evaluated locally');
    expect(result.evidence).toContain('decided by inline policy read-secret');
  });

  it('fails a role without GetSecretValue, with the policy that grants it on the secret only', async () => {
    const snapshot = healthySnapshot();
    snapshot.role = got(proxyRole([{ Effect: 'Allow', Action: 'secretsmanager:ListSecrets', Resource: '*' }]));
    const result = await check('iam.role-reads-secret', snapshot);
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('may not call secretsmanager:GetSecretValue');
    expect(result.fix).toContain('aws iam put-role-policy --role-name orders-proxy-role');
    expect(result.fix).toContain(`"Action":"secretsmanager:GetSecretValue","Resource":"${SECRET_ARN}"`);
  });

  it('fails when a Deny in the role wins over an Allow by wildcard', async () => {
    const snapshot = healthySnapshot();
    snapshot.role = got(
      proxyRole([
        { Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' },
        { Sid: 'NoSecrets', Effect: 'Deny', Action: 'secretsmanager:Get*', Resource: '*' },
      ]),
    );
    const result = await check('iam.role-reads-secret', snapshot);
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('statement NoSecrets');
  });

  it('fails when the secret\'s resource policy denies the role', async () => {
    const snapshot = healthySnapshot();
    const secret = value<SecretSnapshot>(snapshot.secrets.get(SECRET_ARN)!);
    secret.resourcePolicy = got({ Statement: [{ Sid: 'Lock', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }] });
    const result = await check('iam.role-reads-secret', snapshot);
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('resource policy of secret');
    expect(result.evidence).toContain('(statement Lock)');
  });

  it('uses IAM\'s simulator when it answers', async () => {
    iamMock.on(SimulatePrincipalPolicyCommand).resolves({
      EvaluationResults: [{ EvalActionName: 'secretsmanager:GetSecretValue', EvalDecision: 'allowed', MatchedStatements: [{ SourcePolicyId: 'read-secret' }] }],
    });
    const permissions = simulatedPermissions(createAwsClients({ region: 'us-east-1' }));
    const result = (await checkAll(healthySnapshot(), WITH_LAMBDA, permissions)).get('iam.role-reads-secret')!;
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('simulated by IAM (SimulatePrincipalPolicy); decided by read-secret');
    expect(iamMock.commandCalls(SimulatePrincipalPolicyCommand)[0]!.args[0].input).toMatchObject({
      PolicySourceArn: ROLE_ARN,
      ActionNames: ['secretsmanager:GetSecretValue'],
      ResourceArns: [SECRET_ARN],
    });
  });

  it('evaluates locally when the simulator is denied, and names the denial and the policy that grants it', async () => {
    iamMock.on(SimulatePrincipalPolicyCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    const permissions = simulatedPermissions(createAwsClients({ region: 'us-east-1' }));
    const results = await checkAll(healthySnapshot(), WITH_LAMBDA, permissions);
    expect(results.get('iam.role-reads-secret')!.evidence).toContain(
      'because SimulatePrincipalPolicy was denied (AccessDenied: `rdsproxy-setup iam-policy --for doctor` includes iam:SimulatePrincipalPolicy)',
    );
    expect(results.get('client.connect-permission')!.status).toBe('pass');
    // The first denial decides for the run: the simulator is not asked again.
    expect(iamMock.commandCalls(SimulatePrincipalPolicyCommand)).toHaveLength(1);
  });
});

describe('iam.role-kms', () => {
  function withCustomerKey(options: { enabled?: boolean; keyPolicy?: unknown; roleStatements?: unknown[] } = {}) {
    const snapshot = healthySnapshot();
    value<SecretSnapshot>(snapshot.secrets.get(SECRET_ARN)!).kmsKeyId = KEY_ARN;
    snapshot.kmsKeys.set(
      KEY_ARN,
      got({
        arn: KEY_ARN,
        keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
        enabled: options.enabled ?? true,
        keyState: options.enabled === false ? 'Disabled' : 'Enabled',
        keyManager: 'CUSTOMER',
        policy: got(
          (options.keyPolicy ?? {
            Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }],
          }) as never,
        ),
      }),
    );
    snapshot.role = got(
      proxyRole(
        options.roleStatements ?? [
          { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET_ARN },
          { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN, Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } } },
        ],
      ),
    );
    return snapshot;
  }

  it('passes a secret on the AWS managed key', async () => {
    const result = await check('iam.role-kms', healthySnapshot());
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('AWS managed key aws/secretsmanager');
  });

  it('passes a customer key the role may use through Secrets Manager', async () => {
    const result = await check('iam.role-kms', withCustomerKey());
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('via secretsmanager.us-east-1.amazonaws.com');
  });

  it('fails a disabled customer key, with the command that enables it', async () => {
    const result = await check('iam.role-kms', withCustomerKey({ enabled: false }));
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('which is Disabled');
    expect(result.fix).toBe('aws kms enable-key --key-id 1234abcd-12ab-34cd-56ef-1234567890ab');
  });

  it('fails when the role may decrypt only through another service', async () => {
    const snapshot = withCustomerKey({
      roleStatements: [
        { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET_ARN },
        { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN, Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } },
      ],
    });
    const result = await check('iam.role-kms', snapshot);
    expect(result.status).toBe('fail');
    expect(result.fix).toContain('"kms:ViaService":"secretsmanager.us-east-1.amazonaws.com"');
  });

  it('fails when the key policy grants neither the account nor the role', async () => {
    const snapshot = withCustomerKey({
      keyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'kms:*', Resource: '*' }] },
    });
    const result = await check('iam.role-kms', snapshot);
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('does not grant kms:Decrypt');
    expect(result.fix).toContain('aws kms put-key-policy');
  });
});
