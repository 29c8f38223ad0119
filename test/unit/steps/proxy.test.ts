import type { Progress } from '../../../src/waiters/progress.js';
import {
  CreateDBProxyCommand,
  DBProxyNotFoundFault,
  DeleteDBProxyCommand,
  DescribeDBProxiesCommand,
  ListTagsForResourceCommand,
  ModifyDBProxyCommand,
  RDSClient,
  RDSServiceException,
  type DBProxy,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CliError, ForeignResourceError } from '../../../src/errors.js';
import { proxyStep } from '../../../src/steps/proxy.js';
import type { StackResources } from '../../../src/steps/resources.js';
import type { BuildContext } from '../../../src/steps/step.js';
import { FAST_TIMING, stepContext, TEST_RUN_ID } from '../support/step-context.js';

const rds = mockClient(RDSClient);

const PROXY = 'unit-stack-proxy';
const PROXY_ARN = 'arn:aws:rds:us-east-1:123456789012:db-proxy:prx-0123456789abcdef0';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rdsproxy-setup/unit-stack/master-AbCdEf';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/rdsproxy-unit-stack-us-east-1';

const EARLIER: Partial<StackResources> = {
  network: {
    vpcId: 'vpc-1',
    vpcCidr: '172.31.0.0/16',
    subnetIds: ['subnet-a', 'subnet-b'],
    availabilityZones: ['us-east-1a', 'us-east-1b'],
  },
  'proxy-sg': { id: 'sg-proxy', name: 'unit-stack-proxy-sg', vpcId: 'vpc-1' },
  secret: { arn: SECRET_ARN, name: 'rdsproxy-setup/unit-stack/master' },
  role: { name: 'rdsproxy-unit-stack-us-east-1', arn: ROLE_ARN },
};

/** A proxy as DescribeDBProxies shows one that `up` made and nobody touched. */
function describedProxy(overrides: Partial<DBProxy> = {}): DBProxy {
  return {
    DBProxyName: PROXY,
    DBProxyArn: PROXY_ARN,
    Status: 'available',
    EngineFamily: 'POSTGRESQL',
    VpcId: 'vpc-1',
    Endpoint: `${PROXY}.proxy-abc.us-east-1.rds.amazonaws.com`,
    RequireTLS: true,
    IdleClientTimeout: 1800,
    DebugLogging: false,
    Auth: [{ AuthScheme: 'SECRETS', SecretArn: SECRET_ARN, IAMAuth: 'REQUIRED', Description: 'master user secret' }],
    ...overrides,
  };
}

function awsError(name: string, message: string): RDSServiceException {
  return new RDSServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

/** RDS's answer while a just-created role has not reached it yet. */
const roleNotYetUsable = () =>
  awsError('InvalidParameterValue', 'IAM role ARN value is invalid or does not include the required permissions');

let ctx: BuildContext;
let progress: Progress[];

beforeEach(() => {
  rds.reset();
  progress = [];
  ctx = stepContext({ resources: EARLIER, progress: (line) => progress.push(line) });
});

describe('proxy step: find', () => {
  it('finds nothing when no proxy has the stack name', async () => {
    rds.on(DescribeDBProxiesCommand).rejects(new DBProxyNotFoundFault({ message: 'not found', $metadata: {} }));

    expect(await proxyStep.find(ctx)).toBeUndefined();
  });

  it('returns our proxy with its prx- resource id taken from the ARN', async () => {
    rds.on(DescribeDBProxiesCommand).resolves({ DBProxies: [describedProxy()] });
    rds.on(ListTagsForResourceCommand).resolves({ TagList: [{ Key: 'rdsproxy-setup:stack', Value: 'unit-stack' }] });

    const found = await proxyStep.find(ctx);

    expect(found).toEqual({
      name: PROXY,
      arn: PROXY_ARN,
      resourceId: 'prx-0123456789abcdef0',
      endpoint: `${PROXY}.proxy-abc.us-east-1.rds.amazonaws.com`,
      status: 'available',
      requireTls: true,
      idleClientTimeoutSeconds: 1800,
      debugLogging: false,
      auth: describedProxy().Auth,
      vpcId: 'vpc-1',
    });
    expect(rds.commandCalls(ListTagsForResourceCommand)[0]!.args[0].input).toEqual({ ResourceName: PROXY_ARN });
  });

  it('reads which run created the proxy from its run tag', async () => {
    rds.on(DescribeDBProxiesCommand).resolves({ DBProxies: [describedProxy()] });
    rds.on(ListTagsForResourceCommand).resolves({ TagList: [{ Key: 'rdsproxy-setup:stack', Value: 'unit-stack' }, { Key: 'rdsproxy-setup:run', Value: 'run-that-made-it' }] });

    expect((await proxyStep.find(ctx))?.runId).toBe('run-that-made-it');
  });

  it('refuses a proxy with our name that lacks our stack tag', async () => {
    rds.on(DescribeDBProxiesCommand).resolves({ DBProxies: [describedProxy()] });
    rds.on(ListTagsForResourceCommand).resolves({ TagList: [{ Key: 'team', Value: 'orders' }] });

    await expect(proxyStep.find(ctx)).rejects.toBeInstanceOf(ForeignResourceError);
  });
});

describe('proxy step: create', () => {
  beforeEach(() => {
    rds.on(CreateDBProxyCommand).resolves({ DBProxy: describedProxy({ Status: 'creating' }) });
  });

  it('asks for every setting of the design: POSTGRESQL, TLS, SECRETS with IAM REQUIRED, role, subnets, security group, tag', async () => {
    const created = await proxyStep.create(ctx);

    const input = rds.commandCalls(CreateDBProxyCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      DBProxyName: PROXY,
      EngineFamily: 'POSTGRESQL',
      RequireTLS: true,
      RoleArn: ROLE_ARN,
      VpcSecurityGroupIds: ['sg-proxy'],
      IdleClientTimeout: 1800,
      DebugLogging: false,
      Tags: [{ Key: 'rdsproxy-setup:stack', Value: 'unit-stack' }, { Key: 'rdsproxy-setup:run', Value: TEST_RUN_ID }],
    });
    expect(input.Auth).toHaveLength(1);
    expect(input.Auth![0]).toMatchObject({ AuthScheme: 'SECRETS', SecretArn: SECRET_ARN, IAMAuth: 'REQUIRED' });
    expect(input.Auth![0]!.Description).toBeTruthy();
    expect(input.VpcSubnetIds).toEqual(['subnet-a', 'subnet-b']);
    expect(created.status).toBe('creating');
  });

  it('passes --idle-timeout and --debug-logging through', async () => {
    ctx = stepContext({ resources: EARLIER, up: { idleTimeout: '600', debugLogging: true } });

    await proxyStep.create(ctx);

    expect(rds.commandCalls(CreateDBProxyCommand)[0]!.args[0].input).toMatchObject({
      IdleClientTimeout: 600,
      DebugLogging: true,
    });
  });

  it('retries while RDS cannot use the new role yet, saying why, then creates the proxy', async () => {
    rds
      .on(CreateDBProxyCommand)
      .rejectsOnce(roleNotYetUsable())
      .rejectsOnce(roleNotYetUsable())
      .resolves({ DBProxy: describedProxy({ Status: 'creating' }) });

    const created = await proxyStep.create(ctx);

    expect(created.name).toBe(PROXY);
    expect(rds.commandCalls(CreateDBProxyCommand)).toHaveLength(3);
    expect(progress).toHaveLength(2);
    expect(progress[0]).toEqual({
      kind: 'retrying',
      what: `RDS proxy ${PROXY}`,
      because: 'RDS cannot use the new IAM role rdsproxy-unit-stack-us-east-1 until it has propagated',
    });
  });

  it('gives up with a clear error when the role stays unusable past the retry bound', async () => {
    ctx.timing = { ...FAST_TIMING, retry: { timeoutMs: 30, minDelayMs: 1, maxDelayMs: 2 } };
    rds.on(CreateDBProxyCommand).rejects(roleNotYetUsable());

    const error = await proxyStep.create(ctx).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toMatch(/^RDS still could not use IAM role rdsproxy-unit-stack-us-east-1 after \d+s: /);
    expect((error as CliError).code).toBe('RoleNotUsable');
    expect(rds.commandCalls(CreateDBProxyCommand).length).toBeGreaterThan(1);
  });

  it('also retries the InvalidParameterCombination wording RDS gives for a role it cannot use yet', async () => {
    rds
      .on(CreateDBProxyCommand)
      .rejectsOnce(
        awsError('InvalidParameterCombination', 'IAM role provided is not valid, please check that the role exists and has the correct policies'),
      )
      .resolves({ DBProxy: describedProxy({ Status: 'creating' }) });

    const created = await proxyStep.create(ctx);

    expect(created.name).toBe(PROXY);
    expect(rds.commandCalls(CreateDBProxyCommand)).toHaveLength(2);
  });

  it('says so when a refusal about the role is not retried because its wording is not a known propagation answer', async () => {
    rds.on(CreateDBProxyCommand).rejects(awsError('InvalidParameterValue', 'The role rdsproxy-unit-stack-us-east-1 is not authorized'));

    const error = (await proxyStep.create(ctx).catch((e: unknown) => e)) as CliError;

    expect(error.message).toBe('creating RDS proxy unit-stack-proxy: The role rdsproxy-unit-stack-us-east-1 is not authorized');
    expect(error.hint).toContain('RDS refused IAM role rdsproxy-unit-stack-us-east-1, and this was not retried');
    expect(error.code).toBe('RoleRefused');
    expect(rds.commandCalls(CreateDBProxyCommand)).toHaveLength(1);
  });

  it('does not retry an InvalidParameterValue that is not about the role', async () => {
    rds.on(CreateDBProxyCommand).rejects(awsError('InvalidParameterValue', 'Secret ARN is not valid: no such secret'));

    const error = await proxyStep.create(ctx).catch((e: unknown) => e);

    expect((error as CliError).message).toBe('creating RDS proxy unit-stack-proxy: Secret ARN is not valid: no such secret');
    expect(rds.commandCalls(CreateDBProxyCommand)).toHaveLength(1);
    expect(progress).toEqual([]);
  });
});

describe('proxy step: drift and converge', () => {
  /** What find() returns when DescribeDBProxies shows the proxy so. */
  async function found(overrides: Partial<DBProxy> = {}) {
    rds.on(DescribeDBProxiesCommand).resolves({ DBProxies: [describedProxy(overrides)] });
    rds.on(ListTagsForResourceCommand).resolves({ TagList: [{ Key: 'rdsproxy-setup:stack', Value: 'unit-stack' }] });
    return (await proxyStep.find(ctx))!;
  }

  it('reports no drift for a proxy as `up` made it', async () => {
    expect(await proxyStep.drift!(ctx, await found())).toEqual([]);
  });

  it('reports RequireTLS turned off and repairs exactly that with ModifyDBProxy', async () => {
    const proxy = await found({ RequireTLS: false });
    rds.on(ModifyDBProxyCommand).resolves({ DBProxy: describedProxy({ Status: 'modifying' }) });

    const changes = await proxyStep.drift!(ctx, proxy);
    const repaired = await proxyStep.converge!(ctx, proxy, changes);

    expect(changes).toEqual([{ field: 'RequireTLS', have: 'off', want: 'on' }]);
    expect(rds.commandCalls(ModifyDBProxyCommand)[0]!.args[0].input).toEqual({ DBProxyName: PROXY, RequireTLS: true });
    expect(repaired).toMatchObject({ status: 'modifying', requireTls: true });
  });

  it('reports a changed idle timeout and debug logging, and sends only those two', async () => {
    const proxy = await found({ IdleClientTimeout: 120, DebugLogging: true });
    rds.on(ModifyDBProxyCommand).resolves({ DBProxy: describedProxy({ Status: 'modifying' }) });

    const changes = await proxyStep.drift!(ctx, proxy);
    await proxyStep.converge!(ctx, proxy, changes);

    expect(changes).toEqual([
      { field: 'IdleClientTimeout', have: '120 s', want: '1800 s' },
      { field: 'DebugLogging', have: 'on', want: 'off' },
    ]);
    expect(rds.commandCalls(ModifyDBProxyCommand)[0]!.args[0].input).toEqual({
      DBProxyName: PROXY,
      IdleClientTimeout: 1800,
      DebugLogging: false,
    });
  });

  it('puts IAMAuth REQUIRED back on our secret and keeps the other auth entries', async () => {
    const otherSecret = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:reporting-user-XyZ';
    const proxy = await found({
      Auth: [
        { AuthScheme: 'SECRETS', SecretArn: SECRET_ARN, IAMAuth: 'DISABLED' },
        { AuthScheme: 'SECRETS', SecretArn: otherSecret, IAMAuth: 'DISABLED', Description: 'reporting' },
      ],
    });
    rds.on(ModifyDBProxyCommand).resolves({ DBProxy: describedProxy({ Status: 'modifying' }) });

    const changes = await proxyStep.drift!(ctx, proxy);
    await proxyStep.converge!(ctx, proxy, changes);

    expect(changes).toEqual([
      { field: 'Auth', ref: SECRET_ARN, have: 'SECRETS with IAMAuth DISABLED', want: 'SECRETS with IAMAuth REQUIRED' },
    ]);
    const input = rds.commandCalls(ModifyDBProxyCommand)[0]!.args[0].input;
    expect(input.RequireTLS).toBeUndefined();
    expect(input.Auth).toHaveLength(2);
    expect(input.Auth).toContainEqual(expect.objectContaining({ SecretArn: SECRET_ARN, AuthScheme: 'SECRETS', IAMAuth: 'REQUIRED' }));
    expect(input.Auth).toContainEqual(expect.objectContaining({ SecretArn: otherSecret, IAMAuth: 'DISABLED', Description: 'reporting' }));
  });

  it('reports a proxy whose auth does not use our secret at all', async () => {
    const proxy = await found({ Auth: [] });

    expect(await proxyStep.drift!(ctx, proxy)).toEqual([
      { field: 'Auth', ref: SECRET_ARN, have: 'no entry for the secret', want: 'SECRETS with IAMAuth REQUIRED' },
    ]);
  });
});

describe('proxy step: wait', () => {
  it('waits until the proxy is available and returns it', async () => {
    rds
      .on(DescribeDBProxiesCommand)
      .resolvesOnce({ DBProxies: [describedProxy({ Status: 'creating' })] })
      .resolves({ DBProxies: [describedProxy()] });
    const creating = {
      name: PROXY,
      arn: PROXY_ARN,
      resourceId: 'prx-0123456789abcdef0',
      endpoint: 'e',
      status: 'creating',
      requireTls: true,
      debugLogging: false,
      auth: [],
    };

    const ready = await proxyStep.wait!(ctx, creating);

    expect(ready.status).toBe('available');
    expect(rds.commandCalls(DescribeDBProxiesCommand)).toHaveLength(2);
  });
});

describe('proxy step: destroy', () => {
  const options = { finalSnapshot: false, forceDeleteSecret: false };
  const resource = {
    name: PROXY,
    arn: PROXY_ARN,
    resourceId: 'prx-0123456789abcdef0',
    endpoint: 'e',
    status: 'available',
    requireTls: true,
    debugLogging: false,
    auth: [],
  };

  it('deletes the proxy and waits until it is gone', async () => {
    rds.on(DeleteDBProxyCommand).resolves({ DBProxy: describedProxy({ Status: 'deleting' }) });
    rds
      .on(DescribeDBProxiesCommand)
      .resolvesOnce({ DBProxies: [describedProxy({ Status: 'deleting' })] })
      .rejects(new DBProxyNotFoundFault({ message: 'not found', $metadata: {} }));

    await proxyStep.destroy(ctx, resource, options);

    expect(rds.commandCalls(DeleteDBProxyCommand)[0]!.args[0].input).toEqual({ DBProxyName: PROXY });
    expect(rds.commandCalls(DescribeDBProxiesCommand)).toHaveLength(2);
  });

  it('counts a proxy that is already gone as deleted', async () => {
    const gone = new DBProxyNotFoundFault({ message: `DBProxy ${PROXY} not found.`, $metadata: {} });
    rds.on(DeleteDBProxyCommand).rejects(gone);
    rds.on(DescribeDBProxiesCommand).rejects(gone);

    await expect(proxyStep.destroy(ctx, resource, options)).resolves.toBeUndefined();
  });

  it('gives the AWS CLI command that deletes it by hand', () => {
    expect(proxyStep.manualDelete(ctx, resource)).toBe(
      'aws rds delete-db-proxy --db-proxy-name unit-stack-proxy --region us-east-1',
    );
  });
});
