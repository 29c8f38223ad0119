import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListRolePolicies,
} from '@aws-sdk/client-iam';
import type { AwsClients } from '../../aws/clients.js';
import { parsePolicy, type NamedPolicy } from '../policy-evaluation.js';
import { got, missing, read } from '../read.js';
import type { Read, RoleSnapshot } from '../snapshot.js';
import { proxyUnread } from './proxy.js';
import { allPages, reader } from './reader.js';

/** Every inline and attached policy of the role, each list read to its last page. */
async function readPolicyDocuments(clients: AwsClients, roleName: string): Promise<NamedPolicy[]> {
  const iam = await clients.iam();
  const [inlineNames, attached] = await Promise.all([
    allPages(paginateListRolePolicies({ client: iam }, { RoleName: roleName }), (page) => page.PolicyNames),
    allPages(paginateListAttachedRolePolicies({ client: iam }, { RoleName: roleName }), (page) => page.AttachedPolicies),
  ]);
  const inlineDocs = inlineNames.map(async (name) => {
    const p = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
    return { source: `inline policy ${name}`, document: parsePolicy(p.PolicyDocument ?? '{}') };
  });
  const attachedDocs = attached.map(async (a) => {
    const policy = await iam.send(new GetPolicyCommand({ PolicyArn: a.PolicyArn }));
    const version = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn: a.PolicyArn, VersionId: policy.Policy?.DefaultVersionId }),
    );
    return { source: `managed policy ${a.PolicyArn}`, document: parsePolicy(version.PolicyVersion?.Document ?? '{}') };
  });
  return Promise.all([...inlineDocs, ...attachedDocs]);
}

/** A role with its trust policy and every policy it holds: the proxy's, or a Lambda function's. */
export async function readRole(clients: AwsClients, roleArn: string): Promise<Read<RoleSnapshot>> {
  const name = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  const [role, policies] = await Promise.all([
    read(`reading IAM role ${name}`, async () => (await clients.iam()).send(new GetRoleCommand({ RoleName: name }))),
    read(`reading the policies of IAM role ${name}`, () => readPolicyDocuments(clients, name)),
  ]);
  if (!role.ok) return role;
  return got({
    arn: role.value.Role?.Arn ?? roleArn,
    name,
    trustPolicy: parsePolicy(role.value.Role?.AssumeRolePolicyDocument ?? '{}'),
    policies,
  });
}

/** The proxy's IAM role. */
export const roleReader = reader(['proxy'], async ({ clients }, { proxy }): Promise<Read<RoleSnapshot>> => {
  if (!proxy.ok) return proxyUnread(proxy);
  return proxy.value.RoleArn ? readRole(clients, proxy.value.RoleArn) : missing('the proxy names no IAM role');
});
