import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type FunctionConfiguration,
  type GetFunctionCommandOutput,
  type UpdateFunctionConfigurationCommandInput,
} from '@aws-sdk/client-lambda';
import { aws, isErrorNamed, isNotFound } from '../aws/errors.js';
import {
  CLIENT_ARCHITECTURE,
  CLIENT_HANDLER,
  CLIENT_MEMORY_MB,
  CLIENT_RUNTIME,
  CLIENT_TIMEOUT_SECONDS,
  functionLogGroup,
  type ClientPackage,
} from '../config/client-function.js';
import { createdTags, hasStackTag, runIdOf, STACK_TAG_KEY } from '../config/names.js';
import { CliError, ForeignResourceError } from '../errors.js';
import { readFunction, waitForFunctionReady } from '../waiters/lambda-function.js';
import { retryTransient } from '../waiters/retry.js';
import type { ClientFunction } from './resources.js';
import { needed, type BuildContext, type Change, type Step } from './step.js';

function title(name: string): string {
  return `Lambda function ${name}`;
}

/**
 * Lambda's refusal while it cannot assume a just-created role yet (IAM is eventually consistent):
 * InvalidParameterValueException "The role defined for the function cannot be assumed by Lambda."
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
 */
function isRoleNotYetUsable(err: unknown): boolean {
  return isErrorNamed(err, 'InvalidParameterValueException') && /cannot be assumed by Lambda/i.test(err instanceof Error ? err.message : '');
}

/** Another update of the function is still in progress (grant's, or a wait cut short); Lambda takes ours once it is done. */
function isUpdateInProgress(err: unknown): boolean {
  return isErrorNamed(err, 'ResourceConflictException');
}

function toClientFunction(config: FunctionConfiguration | undefined, fallbackName: string): ClientFunction {
  return {
    name: config?.FunctionName ?? fallbackName,
    arn: config?.FunctionArn ?? '',
    codeSha256: config?.CodeSha256 ?? '',
    runtime: config?.Runtime,
    handler: config?.Handler,
    role: config?.Role,
    architectures: config?.Architectures ?? ['x86_64'],
    timeoutSeconds: config?.Timeout,
    memoryMb: config?.MemorySize,
    state: config?.State ?? 'Active',
  };
}

/** Lambda answers tags as a map; the stack's tag check takes a list. */
export function functionTags(out: GetFunctionCommandOutput): { Key: string; Value: string }[] {
  return Object.entries(out.Tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}

function fromGetFunction(out: GetFunctionCommandOutput, name: string): ClientFunction {
  return toClientFunction(out.Configuration, name);
}

/** The package `up` deploys; only create, drift and converge need it (status and teardown do not). */
function wantedPackage(pkg: ClientPackage | undefined): ClientPackage {
  if (!pkg) throw new CliError("Internal error: the client function's step needs its package to create or update it.", { code: 'StepOrder' });
  return pkg;
}

/** The settings `up` owns; the network and the environment are grant's. */
function configurationChanges(ctx: BuildContext, current: ClientFunction): Change[] {
  const roleArn = needed(ctx, 'client-role').arn;
  const wanted: [string, string | number | undefined, string | number][] = [
    ['Runtime', current.runtime, CLIENT_RUNTIME],
    ['Handler', current.handler, CLIENT_HANDLER],
    ['Role', current.role, roleArn],
    ['Timeout', current.timeoutSeconds, CLIENT_TIMEOUT_SECONDS],
    ['MemorySize', current.memoryMb, CLIENT_MEMORY_MB],
  ];
  return wanted
    .filter(([, have, want]) => have !== want)
    .map(([field, have, want]) => ({ field, have: have === undefined ? 'missing' : String(have), want: String(want) }));
}

const CODE_FIELDS = new Set(['CodeSha256', 'Architectures']);

function configurationUpdate(name: string, changes: readonly Change[]): UpdateFunctionConfigurationCommandInput | undefined {
  const fields = changes.filter((c) => !CODE_FIELDS.has(c.field));
  if (fields.length === 0) return undefined;
  const input: UpdateFunctionConfigurationCommandInput = { FunctionName: name };
  for (const { field, want } of fields) {
    if (field === 'Runtime') input.Runtime = CLIENT_RUNTIME;
    if (field === 'Handler') input.Handler = CLIENT_HANDLER;
    if (field === 'Role') input.Role = want;
    if (field === 'Timeout') input.Timeout = CLIENT_TIMEOUT_SECONDS;
    if (field === 'MemorySize') input.MemorySize = CLIENT_MEMORY_MB;
  }
  return input;
}

/**
 * The stack's client function `<stack>-client`: the package this CLI ships (scripts/build-lambda.mjs),
 * run by its own role. A re-run writes nothing; a package whose CodeSha256 differs from the
 * deployed one (a new CLI version) is deployed with one UpdateFunctionCode. A function of that
 * name without the stack's tag is someone else's: refused, never changed.
 */
export function clientFunctionStep(pkg?: ClientPackage): Step<'client-function'> {
  const step: Step<'client-function'> = {
    id: 'client-function',
    title: 'client function',
    needs: ['client-role'],
    owned: true,
    plannedId: (ctx) => ctx.names.clientFunction,

    async find(ctx) {
      const name = ctx.names.clientFunction;
      const found = await readFunction(await ctx.clients.lambda(), name);
      if (!found) return undefined;
      if (!hasStackTag(functionTags(found), ctx.config.stack)) throw new ForeignResourceError('Lambda function', name, STACK_TAG_KEY, ctx.config.stack);
      return { ...fromGetFunction(found, name), runId: runIdOf(functionTags(found)) };
    },

    async create(ctx) {
      const { zip } = wantedPackage(pkg);
      const name = ctx.names.clientFunction;
      const role = needed(ctx, 'client-role');
      const lambda = await ctx.clients.lambda();
      const out = await retryTransient(
        () =>
          aws(`creating ${title(name)}`, () =>
            lambda.send(
              new CreateFunctionCommand({
                FunctionName: name,
                Description: `rdsproxy-setup ${ctx.config.stack}: connects through the proxy with an IAM token (connect --from-lambda)`,
                Runtime: CLIENT_RUNTIME,
                Architectures: [CLIENT_ARCHITECTURE],
                Handler: CLIENT_HANDLER,
                Role: role.arn,
                Code: { ZipFile: zip },
                Timeout: CLIENT_TIMEOUT_SECONDS,
                MemorySize: CLIENT_MEMORY_MB,
                Tags: Object.fromEntries(createdTags(ctx.config.stack, ctx.runId).map((t) => [t.Key, t.Value])),
              }),
            ),
          ),
        {
          ...ctx.timing.retry,
          isTransient: isRoleNotYetUsable,
          signal: ctx.signal,
          onRetry: () =>
            ctx.progress({ kind: 'retrying', what: title(name), because: `Lambda cannot assume the new IAM role ${role.name} until it has propagated` }),
        },
      );
      return { ...toClientFunction(out, name), runId: ctx.runId };
    },

    async drift(ctx, current) {
      const { sha256 } = wantedPackage(pkg);
      const changes: Change[] = [];
      if (current.codeSha256 !== sha256) changes.push({ field: 'CodeSha256', have: current.codeSha256 || 'missing', want: sha256 });
      if (current.architectures.join(',') !== CLIENT_ARCHITECTURE) {
        changes.push({ field: 'Architectures', have: current.architectures.join(','), want: CLIENT_ARCHITECTURE });
      }
      return [...changes, ...configurationChanges(ctx, current)];
    },

    /** At most one UpdateFunctionCode (code and architecture) and one UpdateFunctionConfiguration, each waited for. */
    async converge(ctx, current, changes) {
      const name = current.name;
      const lambda = await ctx.clients.lambda();
      const retrying = { ...ctx.timing.retry, isTransient: isUpdateInProgress, signal: ctx.signal };
      if (changes.some((c) => CODE_FIELDS.has(c.field))) {
        const { zip } = wantedPackage(pkg);
        await retryTransient(
          () =>
            aws(`updating the code of ${title(name)}`, () =>
              lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zip, Architectures: [CLIENT_ARCHITECTURE] })),
            ),
          retrying,
        );
        await waitForFunctionReady(ctx, name);
      }
      const update = configurationUpdate(name, changes);
      if (update) {
        await retryTransient(
          () => aws(`updating the configuration of ${title(name)}`, () => lambda.send(new UpdateFunctionConfigurationCommand(update))),
          retrying,
        );
      }
      return fromGetFunction(await waitForFunctionReady(ctx, name), name);
    },

    async wait(ctx, fn) {
      return fromGetFunction(await waitForFunctionReady(ctx, fn.name), fn.name);
    },

    /** The function, then the log group Lambda made for it. */
    async destroy(ctx, fn) {
      const lambda = await ctx.clients.lambda();
      try {
        await aws(`deleting ${title(fn.name)}`, () => lambda.send(new DeleteFunctionCommand({ FunctionName: fn.name })));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      const { deleteFunctionLogGroup } = await import('./function-log-group.js');
      await deleteFunctionLogGroup(ctx, fn.name);
    },

    manualDelete(_ctx, fn) {
      return `aws lambda delete-function --function-name ${fn.name} && aws logs delete-log-group --log-group-name ${functionLogGroup(fn.name)}`;
    },

    summary(fn) {
      return { id: fn.name, arn: fn.arn, state: fn.state };
    },
  };
  return step;
}
