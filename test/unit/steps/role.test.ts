import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  IAMServiceException,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  NoSuchEntityException,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ForeignResourceError } from '../../../src/errors.js';
import type { Role, Secret } from '../../../src/steps/resources.js';
import { roleStep } from '../../../src/steps/role.js';
import { stepContext, TEST_RUN_ID } from '../support/step-context.js';

const iam = mockClient(IAMClient);

const ROLE = 'rdsproxy-unit-stack-us-east-1';
const ROLE_ARN = `arn:aws:iam::123456789012:role/${ROLE}`;
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rdsproxy-setup/unit-stack/master-AbCdEf';
const OUR_TAGS = [{ Key: 'rdsproxy-setup:stack', Value: 'unit-stack' }];
const RECORDED: Role = { name: ROLE, arn: ROLE_ARN };

function context(secret: Partial<Secret> = {}) {
  return stepContext({ resources: { secret: { arn: SECRET_ARN, name: 'rdsproxy-setup/unit-stack/master', ...secret } } });
}

const noSuchEntity = (what: string) =>
  new NoSuchEntityException({ message: `The role ${what} cannot be found.`, $metadata: {} });

function iamRole(tags?: { Key: string; Value: string }[]) {
  return {
    Role: {
      RoleName: ROLE,
      RoleId: 'AROAEXAMPLE',
      Arn: ROLE_ARN,
      Path: '/',
      CreateDate: new Date('2026-01-01T00:00:00Z'),
      ...(tags ? { Tags: tags } : {}),
    },
  };
}

/** The inline policy a user would expect, written out by hand. */
const WANTED_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'ReadStackSecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET_ARN },
    {
      Sid: 'DecryptViaSecretsManager',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
    },
  ],
};

function putPolicyDocument() {
  return JSON.parse(iam.commandCalls(PutRolePolicyCommand)[0]!.args[0].input.PolicyDocument!) as typeof WANTED_POLICY;
}

beforeEach(() => {
  iam.reset();
});

describe('role step: find', () => {
  it('finds nothing when IAM does not know the role', async () => {
    iam.on(GetRoleCommand).rejects(noSuchEntity(ROLE));

    expect(await roleStep.find(context())).toBeUndefined();
  });

  it('returns our role, tagged in what GetRole says, without asking for its tags again', async () => {
    iam.on(GetRoleCommand, { RoleName: ROLE }).resolves(iamRole(OUR_TAGS));

    expect(await roleStep.find(context())).toEqual(RECORDED);
    expect(iam.commandCalls(ListRoleTagsCommand)).toHaveLength(0);
  });

  it('reads which run created the role from its run tag', async () => {
    iam.on(GetRoleCommand, { RoleName: ROLE }).resolves(iamRole([...OUR_TAGS, { Key: 'rdsproxy-setup:run', Value: 'run-that-made-it' }]));

    expect(await roleStep.find(context())).toEqual({ ...RECORDED, runId: 'run-that-made-it' });
  });

  it('reads the tags with ListRoleTags when GetRole leaves them out', async () => {
    iam.on(GetRoleCommand).resolves(iamRole());
    iam.on(ListRoleTagsCommand, { RoleName: ROLE }).resolves({ Tags: OUR_TAGS, IsTruncated: false });

    expect(await roleStep.find(context())).toEqual(RECORDED);
  });

  it('refuses a role with our name but without our tag', async () => {
    iam.on(GetRoleCommand).resolves(iamRole());
    iam.on(ListRoleTagsCommand).resolves({ Tags: [{ Key: 'team', Value: 'payments' }], IsTruncated: false });

    await expect(roleStep.find(context())).rejects.toThrow(ForeignResourceError);
  });
});

describe('role step: create', () => {
  beforeEach(() => {
    iam.on(CreateRoleCommand).resolves(iamRole(OUR_TAGS));
    iam.on(PutRolePolicyCommand).resolves({});
  });

  it('creates a tagged role, named with the region, that only RDS may assume', async () => {
    const created = await roleStep.create(context());

    const input = iam.commandCalls(CreateRoleCommand)[0]!.args[0].input;
    expect(input.RoleName).toBe(ROLE);
    expect(input.Tags).toEqual([...OUR_TAGS, { Key: 'rdsproxy-setup:run', Value: TEST_RUN_ID }]);
    expect(input.Description).toContain('unit-stack');
    expect(JSON.parse(input.AssumeRolePolicyDocument!)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'rds.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(created).toEqual(RECORDED);
  });

  it('lets the role read exactly the stack secret and decrypt only through Secrets Manager of the region', async () => {
    await roleStep.create(context());

    expect(iam.commandCalls(PutRolePolicyCommand)[0]!.args[0].input).toMatchObject({
      RoleName: ROLE,
      PolicyName: 'read-master-secret',
    });
    expect(putPolicyDocument()).toEqual(WANTED_POLICY);
  });

  it('scopes decrypt to the customer key that encrypts the secret', async () => {
    const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

    await roleStep.create(context({ kmsKeyId: keyArn }));

    expect(putPolicyDocument().Statement[1]).toMatchObject({ Action: 'kms:Decrypt', Resource: keyArn });
  });

  it("makes a bare key id into a key ARN in the secret's account", async () => {
    await roleStep.create(context({ kmsKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }));

    expect(putPolicyDocument().Statement[1]!.Resource).toBe(
      'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    );
  });

  it('deletes the role it just made when the policy cannot be written, then fails', async () => {
    iam.on(PutRolePolicyCommand).rejects(
      new IAMServiceException({ name: 'MalformedPolicyDocument', $fault: 'client', $metadata: {}, message: 'bad policy' }),
    );
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [], IsTruncated: false });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
    iam.on(DeleteRoleCommand).resolves({});

    await expect(roleStep.create(context())).rejects.toThrow(
      `writing the inline policy of IAM role ${ROLE}: bad policy`,
    );
    expect(iam.commandCalls(DeleteRoleCommand)[0]!.args[0].input).toEqual({ RoleName: ROLE });
  });

  it('says how to remove the role by hand when deleting it after a failed policy write fails too', async () => {
    iam.on(PutRolePolicyCommand).rejects(
      new IAMServiceException({ name: 'LimitExceeded', $fault: 'client', $metadata: {}, message: 'too many' }),
    );
    iam.on(ListRolePoliciesCommand).rejects(
      new IAMServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: {}, message: 'not allowed' }),
    );

    const error = (await roleStep.create(context()).catch((e: unknown) => e)) as Error & { hint?: string };

    expect(error.message).toContain(`writing the inline policy of IAM role ${ROLE}: too many`);
    expect(error.message).toContain('removing the new role failed');
    expect(error.hint).toContain(`aws iam delete-role --role-name ${ROLE}`);
  });
});

describe('role step: drift and converge', () => {
  beforeEach(() => {
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['read-master-secret'], IsTruncated: false });
  });

  it('reports a missing inline policy', async () => {
    iam.on(GetRolePolicyCommand).rejects(noSuchEntity('policy'));

    expect(await roleStep.drift!(context(), RECORDED)).toEqual([
      { field: 'inline policy read-master-secret', have: 'missing', want: "read the stack's secret only" },
    ]);
  });

  it('sees no drift when IAM returns the wanted policy URL-encoded with its keys reordered', async () => {
    const reordered = {
      Statement: WANTED_POLICY.Statement.map((s) => Object.fromEntries(Object.entries(s).reverse())),
      Version: '2012-10-17',
    };
    iam.on(GetRolePolicyCommand, { RoleName: ROLE, PolicyName: 'read-master-secret' }).resolves({
      RoleName: ROLE,
      PolicyName: 'read-master-secret',
      PolicyDocument: encodeURIComponent(JSON.stringify(reordered)),
    });

    expect(await roleStep.drift!(context(), RECORDED)).toEqual([]);
  });

  it('reports a policy that grants another secret', async () => {
    const other = { ...WANTED_POLICY, Statement: [{ ...WANTED_POLICY.Statement[0]!, Resource: '*' }, WANTED_POLICY.Statement[1]!] };
    iam.on(GetRolePolicyCommand).resolves({
      RoleName: ROLE,
      PolicyName: 'read-master-secret',
      PolicyDocument: encodeURIComponent(JSON.stringify(other)),
    });

    expect(await roleStep.drift!(context(), RECORDED)).toEqual([
      { field: 'inline policy read-master-secret', have: 'other statements', want: "read the stack's secret only" },
    ]);
  });

  it('puts the wanted policy back', async () => {
    iam.on(PutRolePolicyCommand).resolves({});

    const missing = { field: 'inline policy read-master-secret', have: 'missing', want: "read the stack's secret only" };
    const repaired = await roleStep.converge!(context(), RECORDED, [missing]);

    expect(putPolicyDocument()).toEqual(WANTED_POLICY);
    expect(repaired).toEqual(RECORDED);
  });
});

describe('role step: destroy', () => {
  it('deletes the inline policies, detaches managed ones, then deletes the role', async () => {
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['read-master-secret', 'extra'], IsTruncated: false });
    iam.on(ListAttachedRolePoliciesCommand).resolves({
      AttachedPolicies: [{ PolicyName: 'ReadOnly', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
      IsTruncated: false,
    });
    iam.on(DeleteRolePolicyCommand).resolves({});
    iam.on(DetachRolePolicyCommand).resolves({});
    iam.on(DeleteRoleCommand).resolves({});

    await roleStep.destroy(context(), RECORDED, { finalSnapshot: true, forceDeleteSecret: false });

    const writes = iam
      .calls()
      .map((c) => c.args[0])
      .filter((command) => !command.constructor.name.startsWith('List'))
      .map((command) => [command.constructor.name, command.input]);
    expect(writes).toEqual([
      ['DeleteRolePolicyCommand', { RoleName: ROLE, PolicyName: 'read-master-secret' }],
      ['DeleteRolePolicyCommand', { RoleName: ROLE, PolicyName: 'extra' }],
      ['DetachRolePolicyCommand', { RoleName: ROLE, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
      ['DeleteRoleCommand', { RoleName: ROLE }],
    ]);
  });

  it('still deletes the role when one of its policies vanished meanwhile', async () => {
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['read-master-secret'], IsTruncated: false });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
    iam.on(DeleteRolePolicyCommand).rejects(noSuchEntity('policy'));
    iam.on(DeleteRoleCommand).resolves({});

    await roleStep.destroy(context(), RECORDED, { finalSnapshot: false, forceDeleteSecret: false });

    expect(iam.commandCalls(DeleteRoleCommand)).toHaveLength(1);
  });

  it('counts a role that is already gone as deleted', async () => {
    iam.on(ListRolePoliciesCommand).rejects(noSuchEntity(ROLE));

    await expect(
      roleStep.destroy(context(), RECORDED, { finalSnapshot: false, forceDeleteSecret: false }),
    ).resolves.toBeUndefined();
    expect(iam.commandCalls(DeleteRoleCommand)).toHaveLength(0);
  });

  it('gives the commands to delete it by hand', () => {
    expect(roleStep.manualDelete(context(), RECORDED)).toBe(
      `aws iam delete-role-policy --role-name ${ROLE} --policy-name read-master-secret && aws iam delete-role --role-name ${ROLE}`,
    );
  });
});

describe('role step: summary', () => {
  it('shows the role name and ARN', () => {
    expect(roleStep.summary(RECORDED)).toEqual({ id: ROLE, arn: ROLE_ARN, state: 'exists' });
  });
});
