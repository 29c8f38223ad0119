import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  NoSuchEntityException,
  type GetPolicyCommandInput,
  type GetPolicyVersionCommandInput,
  type GetRolePolicyCommandInput,
  type ListAttachedRolePoliciesCommandInput,
  type ListRolePoliciesCommandInput,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isNotFoundRead, missing } from '../../../../src/doctor/read.js';
import { readRole, roleReader } from '../../../../src/doctor/readers/role.js';
import { healthySnapshot, ROLE_ARN, value } from '../healthy-snapshot.js';
import { items, pagedAnswers, scope } from './scope.js';

const iam = mockClient(IAMClient);
afterEach(() => iam.reset());

const encoded = (document: unknown) => encodeURIComponent(JSON.stringify(document));
const TRUST = { Statement: [{ Effect: 'Allow', Principal: { Service: 'rds.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const allow = (action: string) => ({ Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

beforeEach(() => {
  iam.on(GetRoleCommand).resolves({
    Role: { RoleName: 'orders-proxy-role', Arn: ROLE_ARN, Path: '/', RoleId: 'AROA1', CreateDate: new Date(), AssumeRolePolicyDocument: encoded(TRUST) },
  });
  iam.on(GetRolePolicyCommand).callsFake((input: GetRolePolicyCommandInput) => ({
    RoleName: input.RoleName,
    PolicyName: input.PolicyName,
    PolicyDocument: encoded(allow(`inline:${input.PolicyName}`)),
  }));
  iam.on(GetPolicyCommand).callsFake((input: GetPolicyCommandInput) => ({ Policy: { Arn: input.PolicyArn, DefaultVersionId: 'v2' } }));
  iam.on(GetPolicyVersionCommand).callsFake((input: GetPolicyVersionCommandInput) => ({
    PolicyVersion: { VersionId: input.VersionId, Document: encoded(allow(`managed:${input.PolicyArn}@${input.VersionId}`)) },
  }));
});

describe('reading a role', () => {
  it('gives its trust policy and each inline and attached policy, named by where it came from', async () => {
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['read-secret'] });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/Reader', PolicyName: 'Reader' }] });
    const role = await readRole(scope().clients, ROLE_ARN);
    expect(role).toEqual({
      ok: true,
      value: {
        arn: ROLE_ARN,
        name: 'orders-proxy-role',
        trustPolicy: TRUST,
        policies: {
          ok: true,
          value: [
            { source: 'inline policy read-secret', document: allow('inline:read-secret') },
            { source: 'managed policy arn:aws:iam::aws:policy/Reader', document: allow('managed:arn:aws:iam::aws:policy/Reader@v2') },
          ],
        },
      },
    });
  });

  it('reads every page of both policy lists: 3 pages of 100 inline and 3 of 100 attached give all 600', async () => {
    const inline = pagedAnswers(
      [1, 2, 3].map((page) => ({ PolicyNames: items(100, (i) => `inline-${page}-${i}`) })),
      (token) => ({ Marker: token, IsTruncated: true }),
    );
    const attached = pagedAnswers(
      [1, 2, 3].map((page) => ({ AttachedPolicies: items(100, (i) => ({ PolicyArn: `arn:aws:iam::111122223333:policy/p-${page}-${i}` })) })),
      (token) => ({ Marker: token, IsTruncated: true }),
    );
    iam.on(ListRolePoliciesCommand).callsFake((input: ListRolePoliciesCommandInput) => inline.answer(input.Marker));
    iam.on(ListAttachedRolePoliciesCommand).callsFake((input: ListAttachedRolePoliciesCommandInput) => attached.answer(input.Marker));
    const role = await readRole(scope().clients, ROLE_ARN);
    expect(inline.asked).toEqual([undefined, 'page-2', 'page-3']);
    expect(attached.asked).toEqual([undefined, 'page-2', 'page-3']);
    const policies = role.ok && role.value.policies.ok ? role.value.policies.value : [];
    expect(policies).toHaveLength(600);
    expect(policies.map((p) => p.source)).toContain('inline policy inline-3-99');
    expect(policies.map((p) => p.source)).toContain('managed policy arn:aws:iam::111122223333:policy/p-3-99');
  });

  it('keeps a role that no longer exists as a not-found read', async () => {
    const gone = () => new NoSuchEntityException({ message: 'The role with name orders-proxy-role cannot be found.', $metadata: {} });
    iam.on(GetRoleCommand).rejects(gone());
    iam.on(ListRolePoliciesCommand).rejects(gone());
    iam.on(ListAttachedRolePoliciesCommand).rejects(gone());
    const role = await readRole(scope().clients, ROLE_ARN);
    expect(isNotFoundRead(role)).toBe(true);
    expect(!role.ok && role.error).toContain('cannot be found');
  });

  it('keeps the role when only its policies could not be read, with their error', async () => {
    iam.on(ListRolePoliciesCommand).rejects(new NoSuchEntityException({ message: 'gone', $metadata: {} }));
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
    const role = await readRole(scope().clients, ROLE_ARN);
    expect(role.ok && role.value.trustPolicy).toEqual(TRUST);
    expect(role.ok && role.value.policies.ok).toBe(false);
  });
});

describe('reading the proxy\'s role', () => {
  it('reads the role the proxy names', async () => {
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] });
    iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
    const role = await roleReader.read(scope(), { proxy: healthySnapshot().proxy });
    expect(role.ok && role.value.name).toBe('orders-proxy-role');
    expect(iam.commandCalls(GetRoleCommand)[0]!.args[0].input).toEqual({ RoleName: 'orders-proxy-role' });
  });

  it('says so, without a call, when the proxy names no role', async () => {
    const proxy = healthySnapshot().proxy;
    delete value<{ RoleArn?: string }>(proxy).RoleArn;
    expect(await roleReader.read(scope(), { proxy })).toMatchObject({ ok: false, error: 'the proxy names no IAM role' });
    expect(iam.calls()).toHaveLength(0);
  });

  it('reads nothing when the proxy could not be read', async () => {
    expect((await roleReader.read(scope(), { proxy: missing('denied') })).ok).toBe(false);
    expect(iam.calls()).toHaveLength(0);
  });
});
