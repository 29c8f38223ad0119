import {
  GetFunctionConfigurationCommand,
  ListTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { aws, isErrorNamed, unlessNotFound } from '../aws/errors.js';
import { retryTransient } from '../waiters/retry.js';
import { waitForFunctionUpdate } from '../waiters/function-update.js';
import type { GrantContext } from './context.js';

/** A function as grant reads it. */
export interface FunctionFacts {
  name: string;
  arn: string;
  roleArn: string;
  /** Empty when it is in no VPC. */
  vpcId: string;
  subnetIds: string[];
  securityGroupIds: string[];
  environment: Record<string, string>;
  tags: Record<string, string>;
}

/** The function and its tags, or undefined when there is no such function. */
export async function readFunction(ctx: GrantContext, name: string): Promise<FunctionFacts | undefined> {
  const lambda = await ctx.clients.lambda();
  const config = await unlessNotFound(() =>
    aws(`reading Lambda function ${name}`, () => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }))),
  );
  if (!config?.FunctionArn) return undefined;
  const arn = config.FunctionArn;
  const { Tags } = await aws(`reading the tags of Lambda function ${name}`, () => lambda.send(new ListTagsCommand({ Resource: arn })));
  const subnetIds = config.VpcConfig?.SubnetIds ?? [];
  return {
    name: config.FunctionName ?? name,
    arn,
    roleArn: config.Role ?? '',
    vpcId: subnetIds.length > 0 ? (config.VpcConfig?.VpcId ?? '') : '',
    subnetIds,
    securityGroupIds: config.VpcConfig?.SecurityGroupIds ?? [],
    environment: config.Environment?.Variables ?? {},
    tags: Tags ?? {},
  };
}

export async function tagFunction(ctx: GrantContext, fn: FunctionFacts, tags: Readonly<Record<string, string>>): Promise<void> {
  const lambda = await ctx.clients.lambda();
  await aws(`tagging Lambda function ${fn.name}`, () => lambda.send(new TagResourceCommand({ Resource: fn.arn, Tags: { ...tags } })));
}

export async function untagFunction(ctx: GrantContext, fn: FunctionFacts, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const lambda = await ctx.clients.lambda();
  await aws(`removing tags from Lambda function ${fn.name}`, () => lambda.send(new UntagResourceCommand({ Resource: fn.arn, TagKeys: [...keys] })));
}

/** A configuration change: the whole new environment, and/or the new VPC placement (empty lists: no VPC). */
export interface FunctionChange {
  environment?: Record<string, string>;
  vpc?: { subnetIds: string[]; securityGroupIds: string[] };
}

/**
 * Applies the change and waits until Lambda has finished it. Lambda refuses a change while another
 * update is in progress (ResourceConflictException): retried within the retry bound, as is any
 * other refusal `alsoRetry` names (a role whose new permissions IAM has not spread yet).
 */
export async function updateFunction(
  ctx: GrantContext,
  name: string,
  change: FunctionChange,
  alsoRetry: (err: unknown) => boolean = () => false,
): Promise<void> {
  const lambda = await ctx.clients.lambda();
  const what = `Lambda function ${name}`;
  await retryTransient(
    () =>
      aws(`updating the configuration of ${what}`, () =>
        lambda.send(
          new UpdateFunctionConfigurationCommand({
            FunctionName: name,
            ...(change.environment ? { Environment: { Variables: change.environment } } : {}),
            ...(change.vpc ? { VpcConfig: { SubnetIds: change.vpc.subnetIds, SecurityGroupIds: change.vpc.securityGroupIds } } : {}),
          }),
        ),
      ),
    {
      ...ctx.timing.retry,
      signal: ctx.signal,
      isTransient: (err) => isErrorNamed(err, 'ResourceConflictException') || alsoRetry(err),
      onRetry: (err) =>
        ctx.progress({
          kind: 'retrying',
          what,
          because: isErrorNamed(err, 'ResourceConflictException') ? 'another update is in progress' : 'its role\'s new permissions are not usable yet',
        }),
    },
  );
  await waitForFunctionUpdate(ctx, name);
}
