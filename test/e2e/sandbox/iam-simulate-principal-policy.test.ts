import {
  AddUserToGroupCommand,
  AttachRolePolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
  SimulatePrincipalPolicyCommand,
  type SimulatePrincipalPolicyCommandInput,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../support/sandbox.js';

// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf';
const OTHER_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:other-AbCdEf';
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

describe('SimulatePrincipalPolicy', () => {
  const sandbox = useSandbox();
  const iam = () => new IAMClient(sandbox.clientConfig);

  async function role(name: string, inline: Record<string, string> = {}): Promise<string> {
    const arn = (
      await iam().send(
        new CreateRoleCommand({
          RoleName: name,
          AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { Service: 'rds.amazonaws.com' }, Action: 'sts:AssumeRole' }),
        }),
      )
    ).Role!.Arn!;
    for (const [PolicyName, PolicyDocument] of Object.entries(inline)) {
      await iam().send(new PutRolePolicyCommand({ RoleName: name, PolicyName, PolicyDocument }));
    }
    return arn;
  }

  const simulate = async (input: SimulatePrincipalPolicyCommandInput) =>
    (await iam().send(new SimulatePrincipalPolicyCommand(input))).EvaluationResults!;

  it('allows what a role\'s inline policy allows, naming the policy and the resource\'s own result', async () => {
    const arn = await role('reader', { 'read-secret': policy({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET }) });

    const results = await simulate({ PolicySourceArn: arn, ActionNames: ['secretsmanager:GetSecretValue'], ResourceArns: [SECRET] });

    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      EvalActionName: 'secretsmanager:GetSecretValue',
      EvalDecision: 'allowed',
      MatchedStatements: [{ SourcePolicyId: 'read-secret', SourcePolicyType: 'role' }],
      ResourceSpecificResults: [{ EvalResourceName: SECRET, EvalResourceDecision: 'allowed' }],
    });
  });

  it('answers implicitDeny, with no matched statement, for a resource no statement names', async () => {
    const arn = await role('narrow', { 'read-secret': policy({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET }) });

    const [result] = await simulate({ PolicySourceArn: arn, ActionNames: ['secretsmanager:GetSecretValue'], ResourceArns: [OTHER_SECRET] });

    expect(result!.EvalDecision).toBe('implicitDeny');
    expect(result!.MatchedStatements ?? []).toEqual([]);
  });

  it('answers explicitDeny when an attached policy denies what an inline one allows, naming only the Deny', async () => {
    const arn = await role('denied', { 'read-all': policy({ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }) });
    const deny = await iam().send(
      new CreatePolicyCommand({
        PolicyName: 'no-app-secrets',
        PolicyDocument: policy({ Sid: 'NoAppSecrets', Effect: 'Deny', Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:*:*:secret:app/*' }),
      }),
    );
    await iam().send(new AttachRolePolicyCommand({ RoleName: 'denied', PolicyArn: deny.Policy!.Arn! }));

    const [result] = await simulate({ PolicySourceArn: arn, ActionNames: ['secretsmanager:GetSecretValue'], ResourceArns: [SECRET] });

    expect(result!.EvalDecision).toBe('explicitDeny');
    expect(result!.MatchedStatements).toEqual([{ SourcePolicyId: 'no-app-secrets', SourcePolicyType: 'user-managed' }]);
  });

  it('gives one result per action, the most restrictive across its resources, with each resource\'s own decision', async () => {
    const arn = await role('mixed', { 'read-secret': policy({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET }) });

    const results = await simulate({
      PolicySourceArn: arn,
      ActionNames: ['secretsmanager:GetSecretValue', 'secretsmanager:DeleteSecret'],
      ResourceArns: [SECRET, OTHER_SECRET],
    });

    expect(results.map((r) => [r.EvalActionName, r.EvalDecision])).toEqual([
      ['secretsmanager:GetSecretValue', 'implicitDeny'],
      ['secretsmanager:DeleteSecret', 'implicitDeny'],
    ]);
    expect(results[0]!.ResourceSpecificResults!.map((r) => [r.EvalResourceName, r.EvalResourceDecision])).toEqual([
      [SECRET, 'allowed'],
      [OTHER_SECRET, 'implicitDeny'],
    ]);
  });

  it('applies a Deny with NotResource to every other resource only', async () => {
    const arn = await role('not-resource', {
      'read-all': policy({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }),
      'only-app': policy({ Effect: 'Deny', Action: 'secretsmanager:GetSecretValue', NotResource: SECRET }),
    });

    const [result] = await simulate({ PolicySourceArn: arn, ActionNames: ['secretsmanager:GetSecretValue'], ResourceArns: [SECRET, OTHER_SECRET] });

    expect(result!.ResourceSpecificResults!.map((r) => [r.EvalResourceName, r.EvalResourceDecision])).toEqual([
      [SECRET, 'allowed'],
      [OTHER_SECRET, 'explicitDeny'],
    ]);
  });

  it('matches action names without regard to case, as IAM does', async () => {
    const arn = await role('cased', { 'read-secret': policy({ Effect: 'Allow', Action: 'SecretsManager:getSecretValue', Resource: SECRET }) });

    const [result] = await simulate({ PolicySourceArn: arn, ActionNames: ['secretsmanager:GetSecretValue'], ResourceArns: [SECRET] });

    expect(result!.EvalDecision).toBe('allowed');
  });

  it('evaluates a StringEquals condition on kms:ViaService against ContextEntries: met allows, unmet is an implicit deny', async () => {
    const arn = await role('decrypt', {
      decrypt: policy({
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: KEY,
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
      }),
    });
    const via = (service: string) => ({
      PolicySourceArn: arn,
      ActionNames: ['kms:Decrypt'],
      ResourceArns: [KEY],
      ContextEntries: [{ ContextKeyName: 'kms:ViaService', ContextKeyValues: [service], ContextKeyType: 'string' as const }],
    });

    const [viaSecretsManager] = await simulate(via('secretsmanager.us-east-1.amazonaws.com'));
    const [viaS3] = await simulate(via('s3.us-east-1.amazonaws.com'));

    expect(viaSecretsManager!.EvalDecision).toBe('allowed');
    expect(viaS3!.EvalDecision).toBe('implicitDeny');
  });

  it('lists a condition key missing from ContextEntries in MissingContextValues', async () => {
    const arn = await role('no-context', {
      decrypt: policy({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY, Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } } }),
    });

    const [result] = await simulate({ PolicySourceArn: arn, ActionNames: ['kms:Decrypt'], ResourceArns: [KEY] });

    expect(result!.MissingContextValues).toEqual(['kms:ViaService']);
    expect(result!.ResourceSpecificResults![0]!.MissingContextValues).toEqual(['kms:ViaService']);
  });

  it('includes the policies of a user\'s groups when the source is a user', async () => {
    const user = (await iam().send(new CreateUserCommand({ UserName: 'alice' }))).User!.Arn!;
    await iam().send(new CreateGroupCommand({ GroupName: 'readers' }));
    await iam().send(new AddUserToGroupCommand({ GroupName: 'readers', UserName: 'alice' }));
    await iam().send(
      new PutGroupPolicyCommand({
        GroupName: 'readers',
        PolicyName: 'group-read',
        PolicyDocument: policy({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET }),
      }),
    );

    const [result] = await simulate({ PolicySourceArn: user, ActionNames: ['secretsmanager:GetSecretValue'], ResourceArns: [SECRET] });

    expect(result!.EvalDecision).toBe('allowed');
    expect(result!.MatchedStatements).toEqual([{ SourcePolicyId: 'group-read', SourcePolicyType: 'group' }]);
  });

  it('adds the documents of PolicyInputList to the principal\'s own', async () => {
    const arn = await role('extra');

    const [result] = await simulate({
      PolicySourceArn: arn,
      ActionNames: ['secretsmanager:GetSecretValue'],
      ResourceArns: [SECRET],
      PolicyInputList: [policy({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET })],
    });

    expect(result!.EvalDecision).toBe('allowed');
    expect(result!.MatchedStatements).toEqual([{ SourcePolicyId: 'PolicyInputList.1' }]);
  });

  it('answers NoSuchEntity (HTTP 404) for a role that does not exist', async () => {
    const error = await iam()
      .send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: 'arn:aws:iam::123456789012:role/ghost', ActionNames: ['s3:GetObject'] }))
      .catch((err: unknown) => err as Error & { $metadata: { httpStatusCode?: number } });

    expect(error).toMatchObject({ name: 'NoSuchEntityException', $metadata: { httpStatusCode: 404 } });
  });
});
