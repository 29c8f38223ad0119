import { PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { GrantFailedError } from '../../../src/grants/actions.js';
import { grantLambda } from '../../../src/grants/grant-lambda.js';
import { FUNCTION_GROUP, grantContext, healthyWorld, iam, lambda, PROXY_GROUP, serve, serveWrites, TARGET, type World } from './grant-world.js';

let world: World;
let log: string[];
beforeEach(() => {
  world = healthyWorld();
  log = [];
  serve(world);
  serveWrites(world, log);
});

const grant = () => grantLambda(grantContext(), TARGET, { function: 'api', attachVpc: false, overwriteEnv: false });

describe('a grant run', () => {
  it('writes the index entry first and each record before the change it records, the configuration last', async () => {
    const result = await grant();

    expect(log).toEqual(['CreateTags', 'TagResource', 'AuthorizeSecurityGroupIngress', 'PutRolePolicy', 'UpdateFunctionConfiguration']);
    expect(result.changes).toHaveLength(5);
    expect(world.functionTags['rdsproxy-setup:client:demo:env:PGHOST']).toBe(`+${TARGET.proxy.endpoint}`);
  });

  it('admits the function\'s own group into the proxy\'s, with the rule\'s record as its description', async () => {
    await grant();

    const proxyGroup = world.groups.find((g) => g.GroupId === PROXY_GROUP)!;
    expect(proxyGroup.IpPermissions).toEqual([
      { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: FUNCTION_GROUP, Description: 'rdsproxy-setup:demo client lambda:api' }] },
    ]);
  });

  it('changes nothing the second time', async () => {
    await grant();
    log.length = 0;

    const again = await grant();

    expect(log).toEqual([]);
    expect(again.changes).toEqual([]);
  });

  it('that fails half-way undoes what it changed, in reverse, and says so', async () => {
    iam.on(PutRolePolicyCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'LimitExceeded', $metadata: {} }));
    const before = structuredClone(world);

    const err = await grant().catch((e: unknown) => e);

    expect(err).toBeInstanceOf(GrantFailedError);
    expect(log).toEqual(['CreateTags', 'TagResource', 'AuthorizeSecurityGroupIngress', 'RevokeSecurityGroupIngress', 'UntagResource', 'DeleteTags']);
    expect(world.groups).toEqual(before.groups);
    expect(world.functionTags).toEqual(before.functionTags);
    expect((err as GrantFailedError).details).toEqual({ rollback: { undone: expect.any(Array), left: [] } });
    expect((err as GrantFailedError).hint).toContain('Everything this run changed was undone (4)');
  });

  it('whose configuration update fails undoes that update too, should Lambda have applied it', async () => {
    let calls = 0;
    lambda.on(UpdateFunctionConfigurationCommand).callsFake(({ Environment }: { Environment: { Variables: Record<string, string> } }) => {
      log.push('UpdateFunctionConfiguration');
      world.fn!.Environment = { Variables: Environment.Variables };
      if (++calls === 1) throw Object.assign(new Error('applied, but the answer was lost'), { name: 'ServiceException', $fault: 'client', $metadata: {} });
      return world.fn;
    });

    await expect(grant()).rejects.toBeInstanceOf(GrantFailedError);

    expect(world.fn!.Environment).toEqual({ Variables: { LOG_LEVEL: 'debug' } });
    expect(log.filter((c) => c === 'UpdateFunctionConfiguration')).toHaveLength(2);
  });

  it('leaves a record whose value someone changed meanwhile alone when it undoes', async () => {
    iam.on(PutRolePolicyCommand).callsFakeOnce(() => {
      world.functionTags['rdsproxy-setup:client:demo:env:PGHOST'] = '+edited-by-someone';
      throw Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: {} });
    });

    await expect(grant()).rejects.toBeInstanceOf(GrantFailedError);

    expect(world.functionTags).toEqual({ 'rdsproxy-setup:client:demo:env:PGHOST': '+edited-by-someone' });
  });
});
