import { POSTGRES_PORT } from '../config/names.js';
import type { GrantContext } from './context.js';
import { connectPolicyResources, userOfConnectResource } from './connect-policy.js';
import { readRole, roleNameOf } from './iam-role.js';
import { stackRules } from './network-rules.js';
import { clientRecords, clientSecurityGroupName, connectPolicyName, ruleDescription, type ClientKind } from './records.js';
import { readIndex } from './client-index.js';
import type { StackTarget } from './target.js';

/** One client of the stack as `status` shows it: `status --json` prints these as they are. */
export interface ClientListing {
  kind: ClientKind;
  name: string;
  user: string;
  /** What grant changed on it, from its records: "PGHOST added", "ingress tcp/5432 from sg-… on sg-…". */
  changes: string[];
}

/** The stack's clients from its index, each with what its records say grant changed. */
export async function listClients(ctx: GrantContext, target: StackTarget): Promise<ClientListing[]> {
  const { group, entries } = await readIndex(ctx, target.proxySecurityGroupId);
  // Lambda's SDK client is loaded only for a stack that has a function among its clients.
  const { readFunction } = entries.some((e) => e.client.kind === 'lambda') ? await import('./lambda-function.js') : { readFunction: undefined };
  return Promise.all(
    entries.map(async ({ client, user }) => {
      const fn = client.kind === 'lambda' && readFunction ? await readFunction(ctx, client.name) : undefined;
      const role = client.kind === 'role' ? await readRole(ctx, client.name) : fn ? await readRole(ctx, roleNameOf(fn.roleArn)) : undefined;
      const holder = fn ?? role;
      const records = clientRecords(target.stack, holder?.tags ?? {});
      const policy = connectPolicyName(target.stack);
      const allowed = connectPolicyResources(role?.inlinePolicies.get(policy)).some((r) => userOfConnectResource(r) === user);
      const description = ruleDescription(target.stack, client);
      const rules = group
        ? stackRules(group.ingress, target.stack, POSTGRES_PORT)
            .filter((r) => r.description === description)
            .map((r) => `ingress tcp/${POSTGRES_PORT} from ${r.peerGroupId}`)
        : [];
      const changes = [
        ...(holder ? [] : [`${client.kind === 'lambda' ? 'function' : 'role'} not found`]),
        ...records.env.map((r) => `${r.variable} ${r.kind}`),
        ...(records.vpcAttached ? [`placed in the proxy's subnets with ${clientSecurityGroupName(target.stack)}`] : []),
        ...(allowed && role ? [`rds-db:connect for ${user} in ${policy} of IAM role ${role.name}`] : []),
        ...(role && clientRecords(target.stack, role.tags).vpcAccessAttached && client.kind === 'lambda' ? [`AWSLambdaVPCAccessExecutionRole on IAM role ${role.name}`] : []),
        ...(records.clientSecurityGroupId ? [`client security group ${records.clientSecurityGroupId}`] : []),
        ...rules,
      ];
      return { kind: client.kind, name: client.name, user, changes };
    }),
  );
}
