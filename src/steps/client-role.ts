import { CreateRoleCommand, GetRolePolicyCommand, PutRolePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { aws, isNotFound } from '../aws/errors.js';
import { parseArn } from '../config/arns.js';
import { functionLogGroup } from '../config/client-function.js';
import { createdTags, hasStackTag, runIdOf, STACK_TAG_KEY, type StackNames } from '../config/names.js';
import { partitionOf } from '../config/partition.js';
import { CliError, ForeignResourceError } from '../errors.js';
import { readFunction } from '../waiters/lambda-function.js';
import { functionTags } from './client-function.js';
import { deleteRole, getRole, roleTags } from './role.js';
import { samePolicy, type PolicyDocument } from './role-policies.js';
import type { Step } from './step.js';

function title(name: string): string {
  return `IAM role ${name}`;
}

/** Only Lambda may assume the role. */
export function lambdaTrustPolicy(): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  };
}

/**
 * Writing the function's own logs: what the Lambda console gives a new function's role, scoped
 * to this function's log group
 * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html); and the
 * network-interface permissions a function in a VPC needs, which Lambda checks with the role
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions;
 * they support no resource-level permissions). The function always goes into the proxy's subnets,
 * so `grant --attach-vpc` finds them and attaches no managed policy; it adds rds-db:connect.
 */
export function ownLogsPolicy(names: StackNames, region: string, roleArn: string): PolicyDocument {
  const arn = parseArn(roleArn);
  const logs = `arn:${arn?.partition ?? partitionOf(region)}:logs:${region}:${arn?.account ?? '*'}`;
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'CreateOwnLogGroup', Effect: 'Allow', Action: 'logs:CreateLogGroup', Resource: `${logs}:*` },
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `${logs}:log-group:${functionLogGroup(names.clientFunction)}:*`,
      },
      {
        Sid: 'PlaceInVpc',
        Effect: 'Allow',
        Action: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface'],
        Resource: '*',
      },
    ],
  };
}

const WANTED_POLICY = "write the function's own logs and place it in a VPC, only";

async function putPolicy(iam: IAMClient, names: StackNames, region: string, roleArn: string): Promise<void> {
  await aws(`writing the inline policy of ${title(names.clientRole)}`, () =>
    iam.send(
      new PutRolePolicyCommand({
        RoleName: names.clientRole,
        PolicyName: names.clientRolePolicy,
        PolicyDocument: JSON.stringify(ownLogsPolicy(names, region, roleArn)),
      }),
    ),
  );
}

/** The execution role of the stack's client function `<stack>-client`. */
export const clientRoleStep: Step<'client-role'> = {
  id: 'client-role',
  title: 'client function role',
  needs: [],
  owned: true,
  plannedId: (ctx) => ctx.names.clientRole,

  /**
   * Also refuses a function under the stack's client function name that is not the stack's: the
   * plan searches this step first (the function's step needs it), so the refusal comes before
   * any write, instead of after this role was made for a function that cannot be deployed.
   */
  async find(ctx) {
    const clientFunction = await readFunction(await ctx.clients.lambda(), ctx.names.clientFunction);
    if (clientFunction && !hasStackTag(functionTags(clientFunction), ctx.config.stack)) {
      throw new ForeignResourceError('Lambda function', ctx.names.clientFunction, STACK_TAG_KEY, ctx.config.stack);
    }
    const iam = await ctx.clients.iam();
    const role = await getRole(iam, ctx.names.clientRole);
    if (!role) return undefined;
    const tags = await roleTags(iam, role);
    if (!hasStackTag(tags, ctx.config.stack)) {
      throw new ForeignResourceError('IAM role', ctx.names.clientRole, STACK_TAG_KEY, ctx.config.stack);
    }
    return { name: role.RoleName ?? ctx.names.clientRole, arn: role.Arn ?? '', runId: runIdOf(tags) };
  },

  /** The role and its policy, or neither: a role whose policy could not be written is deleted again. */
  async create(ctx) {
    const { names } = ctx;
    const iam = await ctx.clients.iam();
    const out = await aws(`creating ${title(names.clientRole)}`, () =>
      iam.send(
        new CreateRoleCommand({
          RoleName: names.clientRole,
          AssumeRolePolicyDocument: JSON.stringify(lambdaTrustPolicy()),
          Description: `Execution role of Lambda function ${names.clientFunction} of stack ${ctx.config.stack}`,
          Tags: createdTags(ctx.config.stack, ctx.runId),
        }),
      ),
    );
    const arn = out.Role?.Arn ?? '';
    try {
      await putPolicy(iam, names, ctx.config.region, arn);
    } catch (err) {
      try {
        await deleteRole(iam, names.clientRole);
      } catch (cleanupErr) {
        const why = cleanupErr instanceof Error ? cleanupErr.message : String(cleanupErr);
        throw new CliError(`${err instanceof Error ? err.message : String(err)} (and removing the new role failed: ${why})`, {
          cause: err,
          hint: `Run "up" again to finish the role, or delete it: ${clientRoleStep.manualDelete(ctx, { name: names.clientRole, arn })}`,
        });
      }
      throw err;
    }
    return { name: names.clientRole, arn, runId: ctx.runId };
  },

  async drift(ctx, current) {
    const iam = await ctx.clients.iam();
    const { names } = ctx;
    try {
      const out = await aws(`reading the inline policy of ${title(current.name)}`, () =>
        iam.send(new GetRolePolicyCommand({ RoleName: current.name, PolicyName: names.clientRolePolicy })),
      );
      if (samePolicy(out.PolicyDocument ?? '', ownLogsPolicy(names, ctx.config.region, current.arn))) return [];
      return [{ field: `inline policy ${names.clientRolePolicy}`, have: 'other statements', want: WANTED_POLICY }];
    } catch (err) {
      if (isNotFound(err)) return [{ field: `inline policy ${names.clientRolePolicy}`, have: 'missing', want: WANTED_POLICY }];
      throw err;
    }
  },

  async converge(ctx, current) {
    await putPolicy(await ctx.clients.iam(), ctx.names, ctx.config.region, current.arn);
    return current;
  },

  /** Every policy on it goes too (grant's, if revoke did not run): it is the stack's own role. */
  async destroy(ctx, role) {
    try {
      await deleteRole(await ctx.clients.iam(), role.name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },

  manualDelete(ctx, role) {
    return (
      `aws iam delete-role-policy --role-name ${role.name} --policy-name ${ctx.names.clientRolePolicy} && ` +
      `aws iam delete-role --role-name ${role.name}`
    );
  },

  summary(role) {
    return { id: role.name, arn: role.arn, state: 'exists' };
  },
};
