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
import { got, missing, read, requiring } from '../read.js';
import type { Read, RoleSnapshot } from '../snapshot.js';
import { proxyUnread } from './proxy.js';
import { allPages, reader } from './reader.js';

/** Every inline and attached policy of the role, each list read to its last page. */
async function readPolicyDocuments(clients: AwsClients, roleArn: string, roleName: string): Promise<NamedPolicy[]> {
  const iam = await clients.iam();
  const [inlineNames, attached] = await Promise.all([
    requiring('iam:ListRolePolicies', roleArn, () =>
      allPages(paginateListRolePolicies({ client: iam }, { RoleName: roleName }), (page) => page.PolicyNames),
    ),
    requiring('iam:ListAttachedRolePolicies', roleArn, () =>
      allPages(paginateListAttachedRolePolicies({ client: iam }, { RoleName: roleName }), (page) => page.AttachedPolicies),
    ),
  ]);
  const inlineDocs = inlineNames.map(async (name) => {
    const p = await requiring('iam:GetRolePolicy', roleArn, () => iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name })));
    return { source: `inline policy ${name}`, document: parsePolicy(p.PolicyDocument ?? '{}') };
  });
  const attachedDocs = attached.map(async ({ PolicyArn }) => {
    const arn = PolicyArn ?? '';
    const policy = await requiring('iam:GetPolicy', arn, () => iam.send(new GetPolicyCommand({ PolicyArn })));
    const version = await requiring('iam:GetPolicyVersion', arn, () =>
      iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId: policy.Policy?.DefaultVersionId })),
    );
    return { source: `managed policy ${arn}`, document: parsePolicy(version.PolicyVersion?.Document ?? '{}') };
  });
  return Promise.all([...inlineDocs, ...attachedDocs]);
}

/** A role with its trust policy and every policy it holds: the proxy's, or a Lambda function's. */
export async function readRole(clients: AwsClients, roleArn: string): Promise<Read<RoleSnapshot>> {
  const name = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  const [role, policies] = await Promise.all([
    read(`reading IAM role ${name}`, async () => {
      const iam = await clients.iam();
      return requiring('iam:GetRole', roleArn, () => iam.send(new GetRoleCommand({ RoleName: name })));
    }),
    read(`reading the policies of IAM role ${name}`, () => readPolicyDocuments(clients, roleArn, name)),
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
