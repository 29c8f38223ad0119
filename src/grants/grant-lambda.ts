import { isErrorNamed } from '../aws/errors.js';
import { AWS_LIMITS } from '../config/aws-limits.js';
import { parseArn } from '../config/arns.js';
import { attachAction, createClientGroupAction, functionTagsAction, GrantRun, indexAction, roleTagsAction, type GrantAction } from './actions.js';
import { connectPolicyChange, networkChanges } from './client-access.js';
import { undoContext, type GrantContext } from './context.js';
import { planEnvironment, restoreEnvironment, wantedEnvironment, type EnvironmentPlan } from './environment.js';
import { attachedPoliciesQuota, hasNetworkInterfacePermissions, readRole, roleNameOf } from './iam-role.js';
import { readFunction, updateFunction, type FunctionFacts } from './lambda-function.js';
import {
  ATTACHED,
  clientRecords,
  clientSecurityGroupName,
  clientTagKey,
  envTagKey,
  envTagValue,
  indexTagKey,
  otherVpcAccessHolders,
  vpcAccessPolicyArn,
  vpcAccessTagKey,
  vpcTagKey,
  type ClientRef,
} from './records.js';
import { functionNameIn, refusal, refuseEnvironmentSize, refuseOtherUser, refuseServiceLinkedRole, refuseTagLimit, userFor } from './refusals.js';
import { findClientGroup, readGroups, type GroupFacts } from './security-groups.js';
import type { GrantTarget } from './target.js';
import type { GrantResult } from './grant-result.js';
import { readProxyGroup } from './proxy-group.js';

export interface LambdaGrantRequest {
  /** Its name or ARN. */
  function: string;
  user?: string;
  /** Put a function that is in no VPC into the proxy's subnets. */
  attachVpc: boolean;
  /** Replace PG* variables that hold other values. */
  overwriteEnv: boolean;
}

/** Lambda refuses a VPC placement while the role's new network-interface permissions have not reached it. */
function isRoleNotYetUsable(err: unknown): boolean {
  return (
    isErrorNamed(err, 'InvalidParameterValueException') &&
    /execution role does not have permissions to call \w*NetworkInterface/i.test(err instanceof Error ? err.message : '')
  );
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

type Placement = { subnetIds: string[]; securityGroupIds: string[] };

/** The configuration update: the environment grant plans, and the VPC placement of a function in none. */
function functionUpdate(ctx: GrantContext, fn: FunctionFacts, env: EnvironmentPlan, vpc: Placement | undefined, roleJustAttached: boolean): GrantAction {
  const parts = [
    ...env.records.map((r) => `${r.variable} ${r.kind}`),
    ...(vpc ? [`placed in subnets ${vpc.subnetIds.join(', ')} with ${vpc.securityGroupIds.join(', ')}`] : []),
  ];
  return {
    what: `Lambda function ${fn.name}: ${parts.join('; ')}`,
    run: () =>
      updateFunction(ctx, fn.name, { environment: env.records.length > 0 ? env.variables : undefined, vpc }, roleJustAttached ? isRoleNotYetUsable : undefined),
    undo: {
      what: `restore the configuration of Lambda function ${fn.name}`,
      run: async () => {
        const u = undoContext(ctx);
        const now = await readFunction(u, fn.name);
        if (!now) return;
        const restore = restoreEnvironment(now.environment, env.records);
        const detach = vpc !== undefined && sameSet(now.securityGroupIds, vpc.securityGroupIds);
        if (restore.undone.length === 0 && !detach) return;
        await updateFunction(u, fn.name, {
          environment: restore.undone.length > 0 ? restore.variables : undefined,
          vpc: detach ? { subnetIds: [], securityGroupIds: [] } : undefined,
        });
      },
    },
  };
}

/**
 * Wires a Lambda function to the stack's proxy: the network path, rds-db:connect for the user on
 * its role, and the PG* environment. Every refusal comes before the first write; each write is
 * recorded on AWS before it is made; a failure undoes what this run changed.
 */
export async function grantLambda(ctx: GrantContext, target: GrantTarget, request: LambdaGrantRequest): Promise<GrantResult> {
  const { stack } = target;
  const name = functionNameIn(target, request.function);
  const user = userFor(target, request.user);
  const [fn, proxyGroup] = await Promise.all([readFunction(ctx, name), readProxyGroup(ctx, target)]);
  if (!fn) throw refusal(`Lambda function ${name} does not exist in ${target.region}.`, 'Check its name (or ARN) and --region.');
  const client: ClientRef = { kind: 'lambda', name: fn.name };
  const records = clientRecords(stack, fn.tags);
  refuseOtherUser(stack, client, proxyGroup.tags, records.user, user);

  const inNoVpc = fn.subnetIds.length === 0;
  if (!inNoVpc && fn.vpcId !== target.proxy.vpcId) {
    throw refusal(
      `Lambda function ${fn.name} runs in VPC ${fn.vpcId || 'unknown'}, the proxy in ${target.proxy.vpcId}: grant wires functions in the proxy's VPC only (VPC peering and transit gateways are out of its scope).`,
      `Move the function into ${target.proxy.vpcId}, or take it out of its VPC and grant with --attach-vpc.`,
    );
  }
  if (inNoVpc && !request.attachVpc) {
    throw refusal(
      `Lambda function ${fn.name} is in no VPC, and the proxy is reachable only inside ${target.proxy.vpcId}.`,
      `Pass --attach-vpc to place it in the proxy's subnets with the security group ${clientSecurityGroupName(stack)} (it then has no internet access without a NAT gateway or VPC endpoints).`,
    );
  }
  const proxyParts = parseArn(target.proxy.arn);
  const roleParts = parseArn(fn.roleArn);
  if (proxyParts && roleParts && roleParts.account !== proxyParts.account) {
    throw refusal(`The execution role ${fn.roleArn} of ${fn.name} is in another account than the proxy (${proxyParts.account}).`);
  }
  const role = await readRole(ctx, roleNameOf(fn.roleArn));
  if (!role) throw refusal(`The execution role ${fn.roleArn} of Lambda function ${fn.name} does not exist.`);
  refuseServiceLinkedRole(role, ` (the execution role of ${fn.name})`);

  const [clientGroup, functionGroups, networkInterfaces] = await Promise.all([
    inNoVpc ? findClientGroup(ctx, stack) : Promise.resolve(undefined),
    inNoVpc ? Promise.resolve(new Map<string, GroupFacts>()) : readGroups(ctx, fn.securityGroupIds),
    hasNetworkInterfacePermissions(ctx, role),
  ]);
  const vpcAccessArn = vpcAccessPolicyArn(proxyParts?.partition ?? 'aws');
  const hasVpcAccess = role.attachedPolicyArns.includes(vpcAccessArn);
  const attach = !networkInterfaces && !hasVpcAccess;
  if (attach) {
    const quota = await attachedPoliciesQuota(ctx);
    if (role.attachedPolicyArns.length >= quota) {
      throw refusal(
        `IAM role ${role.name} (of ${fn.name}) has ${role.attachedPolicyArns.length} managed policies, the most this account allows per role (${quota}), and lacks the network-interface permissions a function in a VPC needs: grant would attach AWSLambdaVPCAccessExecutionRole.`,
        `Detach a managed policy from ${role.name}, or give it ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces and ec2:DeleteNetworkInterface yourself.`,
      );
    }
  }
  // Several stacks may rely on one attachment: each records that it does, and the last revoke detaches it.
  const relies = attach || (hasVpcAccess && otherVpcAccessHolders(stack, role.tags).length > 0);
  const roleTags: Record<string, string> = relies && role.tags[vpcAccessTagKey(stack)] !== ATTACHED ? { [vpcAccessTagKey(stack)]: ATTACHED } : {};
  const policy = connectPolicyChange(ctx, target, role, user);
  const env = planEnvironment(
    fn.environment,
    wantedEnvironment({ host: target.proxy.endpoint, database: target.databaseName, user }),
    request.overwriteEnv,
  );
  const functionTags: Record<string, string> = {
    ...(records.user === undefined ? { [clientTagKey(stack)]: user } : {}),
    ...Object.fromEntries(env.records.map((r) => [envTagKey(stack, r.variable), envTagValue(r)])),
    ...(inNoVpc ? { [vpcTagKey(stack)]: ATTACHED } : {}),
  };
  const indexKey = indexTagKey(client);
  const indexTags: Record<string, string> = proxyGroup.tags[indexKey] === user ? {} : { [indexKey]: user };
  refuseTagLimit(`the proxy's security group ${proxyGroup.id}`, proxyGroup.tags, indexTags, AWS_LIMITS.ec2TagsPerResource.max);
  refuseTagLimit(`Lambda function ${fn.name}`, fn.tags, functionTags, AWS_LIMITS.lambdaTagsPerFunction.max);
  refuseTagLimit(`IAM role ${role.name}`, role.tags, roleTags, AWS_LIMITS.iamTagsPerRole.max);
  refuseEnvironmentSize(`Lambda function ${fn.name}`, env.variables);

  const notes = env.kept.map((k) => `${k.variable} ${k.reason}.`);
  if (inNoVpc) {
    notes.push(
      `Lambda function ${fn.name} now runs in the proxy's VPC ${target.proxy.vpcId}: it has no internet access unless the VPC has a NAT gateway or VPC endpoints for the services it calls (the IAM token is signed locally and needs neither).`,
    );
  }

  const run = new GrantRun(ctx);
  try {
    if (Object.keys(indexTags).length > 0) await run.apply(indexAction(ctx, proxyGroup.id, indexKey, user));
    if (Object.keys(functionTags).length > 0) await run.apply(functionTagsAction(ctx, fn, functionTags));
    if (Object.keys(roleTags).length > 0) await run.apply(roleTagsAction(ctx, role.name, roleTags));
    let groups: GroupFacts[] = inNoVpc ? (clientGroup ? [clientGroup] : []) : [...functionGroups.values()];
    if (inNoVpc && !clientGroup) {
      const id = await run.apply(createClientGroupAction(ctx, stack, target.proxy.vpcId));
      groups = [...(await readGroups(ctx, [id])).values()];
    }
    for (const action of networkChanges(ctx, target, proxyGroup, groups, client)) await run.apply(action);
    if (policy) await run.apply(policy);
    if (attach) await run.apply(attachAction(ctx, role.name, vpcAccessArn));
    const vpc = inNoVpc ? { subnetIds: target.proxy.subnetIds, securityGroupIds: [groups[0]!.id] } : undefined;
    if (env.records.length > 0 || vpc) await run.apply(functionUpdate(ctx, fn, env, vpc, attach));
  } catch (err) {
    throw await run.failed(err);
  }
  return { client, user, changes: run.changed, notes };
}
