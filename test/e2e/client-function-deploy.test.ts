import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetRoleCommand, GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAwsClients } from '../../src/aws/clients.js';
import type { ClientPackage } from '../../src/config/client-function.js';
import { stackNames } from '../../src/config/names.js';
import { upConfig } from '../../src/config/up-config.js';
import { CliError, ForeignResourceError } from '../../src/errors.js';
import { invokeClientFunction } from '../../src/lambda/invoke-client.js';
import { codeSha256 } from '../../src/lambda/function-package.js';
import { clientSteps } from '../../src/steps/client-steps.js';
import { destroyResources } from '../../src/steps/destroy.js';
import { planStack, readStack } from '../../src/steps/plan.js';
import { runStack, type StackRun } from '../../src/steps/runner.js';
import type { BuildContext } from '../../src/steps/step.js';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js';
import { CLIENT_ZIP } from './support/lambda-runtime.js';
import { startLdapPasswordCatcher, type LdapPasswordCatcher } from '../../scripts/ldap-password-catcher.mjs';
import { initPostgres, type PostgresData, type RunningPostgres } from '../../scripts/postgres.mjs';
import { useSandbox } from './support/sandbox.js';
import { createTestCa } from '../../scripts/test-ca.mjs';

const STACK = 'orders';
const PROXY_HOST = 'orders-proxy.proxy-abc123xyz.us-east-1.rds.amazonaws.com';
const LOGIN = { user: 'appadmin', database: 'orders' };

/** The package `npm run build` made, and the same function changed (a new CLI version). */
const shipped = (): ClientPackage => {
  const zip = new Uint8Array(readFileSync(CLIENT_ZIP));
  return { zip, sha256: codeSha256(zip) };
};
const changed = (): ClientPackage => {
  const files = unzipSync(readFileSync(CLIENT_ZIP));
  const zip = zipSync({ 'index.js': new Uint8Array([...files['index.js']!, ...strToU8('\n// a newer CLI\n')]) });
  return { zip, sha256: codeSha256(zip) };
};

describe("the stack's client function, deployed by its steps and invoked in the sandbox", () => {
  const work = mkdtempSync(join(tmpdir(), 'rdsproxy-client-deploy-'));
  const ca = createTestCa(work);
  // The functions the sandbox runs trust the test CA, as Lambda's image trusts Amazon's roots.
  const sandbox = useSandbox({ env: { SANDBOX_LAMBDA_EXTRA_CA_CERTS: ca.certFile } });
  const names = stackNames(STACK, 'us-east-1');
  let proxy: FaultProxy;
  let postgres: PostgresData;
  let ldap: LdapPasswordCatcher;
  let server: RunningPostgres | undefined;

  beforeAll(async () => {
    proxy = await startFaultProxy(sandbox.endpoint, sandbox.env);
    postgres = initPostgres(LOGIN);
    ldap = await startLdapPasswordCatcher();
  });
  beforeEach(() => {
    proxy.clear();
    ldap.binds.length = 0;
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const) vi.stubEnv(name, sandbox.env[name]!);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await server?.stop();
    server = undefined;
  });
  afterAll(async () => {
    await proxy?.stop();
    await ldap?.stop();
    postgres?.remove();
    rmSync(work, { recursive: true, force: true });
  });

  /** What `up --with-lambda` will run: the plan, then the two steps, through the fault proxy that counts calls. */
  function context(): BuildContext {
    const timing = { timeoutMs: 30_000, minDelayMs: 20, maxDelayMs: 200 };
    return {
      config: { stack: STACK, region: 'us-east-1', json: false, yes: true, verbose: false },
      settings: upConfig({}),
      names,
      clients: createAwsClients({ region: 'us-east-1', endpoint: proxy.endpoint }),
      resources: {},
      signal: new AbortController().signal,
      timing: { wait: timing, retry: timing, busy: timing },
      runId: 'client-function-deploy-test',
      progress: () => undefined,
    };
  }

  async function deploy(pkg: ClientPackage): Promise<StackRun> {
    const ctx = context();
    const steps = clientSteps(pkg);
    const plan = await planStack(ctx, steps);
    return runStack(ctx, { steps, plan, abort: new AbortController(), rollback: true, emit: () => undefined });
  }

  const lambda = () => new LambdaClient(sandbox.clientConfig);
  const fn = () => lambda().send(new GetFunctionCommand({ FunctionName: names.clientFunction }));

  /** What grant will write into the function's environment (issue 9), done here by hand. */
  async function wireByHand(variables: Record<string, string> = {}) {
    await lambda().send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: names.clientFunction,
        Environment: { Variables: { PGHOST: PROXY_HOST, PGPORT: '5432', PGUSER: LOGIN.user, PGDATABASE: LOGIN.database, PGSSLMODE: 'verify-full', ...variables } },
      }),
    );
    await waitUntilFunctionUpdatedV2({ client: lambda(), maxWaitTime: 30, minDelay: 1 }, { FunctionName: names.clientFunction });
  }

  it('creates the function from the shipped package, on arm64 and Node.js 22, run by its own tagged role that may only write its logs and place it in a VPC', async () => {
    const run = await deploy(shipped());

    expect(run.ok).toBe(true);
    const { Configuration: config, Tags } = await fn();
    expect(config).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      CodeSha256: shipped().sha256,
      Timeout: 30,
      MemorySize: 256,
    });
    expect(Tags).toEqual({ 'rdsproxy-setup:stack': STACK, 'rdsproxy-setup:run': 'client-function-deploy-test' });
    const iam = new IAMClient(sandbox.clientConfig);
    const { Role: role } = await iam.send(new GetRoleCommand({ RoleName: 'orders-client-us-east-1' }));
    expect(config?.Role).toBe(role?.Arn);
    expect(role?.Tags).toEqual([
      { Key: 'rdsproxy-setup:stack', Value: STACK },
      { Key: 'rdsproxy-setup:run', Value: 'client-function-deploy-test' },
    ]);
    expect(JSON.parse(decodeURIComponent(role!.AssumeRolePolicyDocument!)).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    const policy = await iam.send(new GetRolePolicyCommand({ RoleName: 'orders-client-us-east-1', PolicyName: 'own-logs-and-vpc' }));
    const actions = JSON.parse(decodeURIComponent(policy.PolicyDocument!)).Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(actions.sort()).toEqual([
      'ec2:CreateNetworkInterface',
      'ec2:DeleteNetworkInterface',
      'ec2:DescribeNetworkInterfaces',
      'logs:CreateLogGroup',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
  });

  it('makes no write when run again', async () => {
    await deploy(shipped());
    proxy.clear();

    const run = await deploy(shipped());

    expect(run.ok).toBe(true);
    expect(proxy.writes()).toEqual([]);
  });

  it("keeps what grant set (environment) when run again, and still makes no write", async () => {
    await deploy(shipped());
    await wireByHand();
    proxy.clear();

    await deploy(shipped());

    expect(proxy.writes()).toEqual([]);
    expect((await fn()).Configuration?.Environment?.Variables?.PGHOST).toBe(PROXY_HOST);
  });

  it('deploys a changed package with exactly one UpdateFunctionCode', async () => {
    await deploy(shipped());
    proxy.clear();
    const newer = changed();

    const run = await deploy(newer);

    expect(run.ok).toBe(true);
    expect(proxy.writes().map((c) => c.operation)).toEqual(['UpdateFunctionCode']);
    expect((await fn()).Configuration?.CodeSha256).toBe(newer.sha256);
  });

  it('refuses a function with the stack\'s name but not its tag, and leaves it as it was', async () => {
    const role = await new IAMClient(sandbox.clientConfig).send(
      new CreateRoleCommand({
        RoleName: 'someone-elses',
        AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
      }),
    );
    const theirs = zipSync({ 'index.js': strToU8('exports.handler = async () => "theirs";') });
    await lambda().send(
      new CreateFunctionCommand({ FunctionName: names.clientFunction, Runtime: 'nodejs20.x', Role: role.Role!.Arn!, Handler: 'index.handler', Code: { ZipFile: theirs }, Tags: { team: 'payments' } }),
    );
    const before = (await fn()).Configuration;
    proxy.clear();

    await expect(deploy(shipped())).rejects.toThrow(ForeignResourceError);

    expect(proxy.writes()).toEqual([]);
    const after = await fn();
    expect(after.Configuration?.CodeSha256).toBe(before?.CodeSha256);
    expect(after.Tags).toEqual({ team: 'payments' });
  });

  describe('invoked as connect --from-lambda will', () => {
    const invocation = (event: Record<string, unknown> = {}) => ({ functionName: names.clientFunction, proxyName: names.proxy, event });

    it("returns the rows of the default query and the three timings, the token signed with the function role's credentials", async () => {
      await deploy(shipped());
      await wireByHand();
      server = await postgres.start({ tls: ca.issue(PROXY_HOST), ldapPort: ldap.port });

      const answer = await invokeClientFunction(createAwsClients({ region: 'us-east-1', endpoint: sandbox.endpoint }), invocation({ dial: { address: '127.0.0.1', port: server.port } }));

      expect(answer.columns).toEqual(['user', 'database', 'server_version', 'ssl', 'server_time']);
      expect(answer.rows[0]).toMatchObject({ user: 'appadmin', database: 'orders', ssl: true });
      expect(Object.keys(answer.timings).sort()).toEqual(['connectMs', 'queryMs', 'signMs']);
      expect(ldap.binds).toHaveLength(1);
      const credential = new URL(`https://${ldap.binds[0]!.password}`).searchParams.get('X-Amz-Credential')!;
      expect(credential.startsWith(`${sandbox.env.AWS_ACCESS_KEY_ID}/`)).toBe(false);
      expect(JSON.stringify(answer)).not.toContain('X-Amz-Signature');
    });

    it('says which doctor checks explain a server without TLS, and the doctor command to run', async () => {
      await deploy(shipped());
      await wireByHand();
      server = await postgres.start({ tls: false });

      const failure = await invokeClientFunction(createAwsClients({ region: 'us-east-1', endpoint: sandbox.endpoint }), invocation({ dial: { address: '127.0.0.1', port: server.port } })).catch((e: unknown) => e);

      expect(failure).toBeInstanceOf(CliError);
      expect((failure as CliError).code).toBe('TlsNotOffered');
      expect((failure as CliError).message).toContain(`Lambda function orders-client could not open a session with ${PROXY_HOST}:5432 (TlsNotOffered)`);
      expect((failure as CliError).hint).toBe(
        'Explained by doctor check client.endpoint: run `rdsproxy-setup doctor --proxy orders-proxy --lambda orders-client --user appadmin`.',
      );
      expect(ldap.binds).toHaveLength(0);
    });

    it("reports the function's own timeout as such", async () => {
      const hanging = zipSync({ 'index.js': strToU8('exports.handler = () => new Promise(() => setInterval(() => {}, 1000));') });
      await deploy({ zip: hanging, sha256: codeSha256(hanging) });
      await lambda().send(new UpdateFunctionConfigurationCommand({ FunctionName: names.clientFunction, Timeout: 1 }));

      const failure = await invokeClientFunction(createAwsClients({ region: 'us-east-1', endpoint: sandbox.endpoint }), invocation()).catch((e: unknown) => e);

      expect((failure as CliError).code).toBe('FunctionTimedOut');
      expect((failure as CliError).message).toBe('Lambda function orders-client timed out after 1 s, its own timeout, before it answered.');
    });

    it('leaves no function, role or log group once its steps destroy it', async () => {
      await deploy(shipped());
      await wireByHand();
      await invokeClientFunction(createAwsClients({ region: 'us-east-1', endpoint: sandbox.endpoint }), invocation()).catch(() => undefined);
      const logs = new CloudWatchLogsClient(sandbox.clientConfig);
      const logged = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/' }));
      expect(logged.logGroups?.map((g) => g.logGroupName)).toEqual(['/aws/lambda/orders-client']);
      const ctx = context();
      const steps = clientSteps();
      const found = await readStack(ctx, steps);
      const targets = [...found.values()].filter((e) => e.found !== undefined).map((e) => ({ step: e.step, resource: e.found! }));

      const report = await destroyResources(ctx, targets, { options: { finalSnapshot: false, forceDeleteSecret: false }, graph: steps, emit: () => undefined });

      expect(report.left).toEqual([]);
      await expect(fn()).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
      await expect(new IAMClient(sandbox.clientConfig).send(new GetRoleCommand({ RoleName: 'orders-client-us-east-1' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
      const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/' }));
      expect(groups.logGroups ?? []).toEqual([]);
    });
  });
});
