import { DeleteRolePolicyCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { beforeEach, describe, expect, it } from 'vitest';
import { connectPolicyDocument } from '../../../src/grants/connect-policy.js';
import { revokeClient } from '../../../src/grants/revoke-client.js';
import { ACCOUNT, FUNCTION_GROUP, grantContext, healthyWorld, iam, PROXY_GROUP, serve, serveWrites, TARGET, type World } from './grant-world.js';

const RULE = 'rdsproxy-setup:demo client lambda:api';
const POLICY = 'rdsproxy-setup-demo-connect';
const records = {
  'rdsproxy-setup:client:demo': 'postgres',
  'rdsproxy-setup:client:demo:env:PGHOST': `+${TARGET.proxy.endpoint}`,
};

/** api and worker, granted one after the other: same group, same role, same user; api's grant added the rule. */
function twoClients(): World {
  const world = healthyWorld();
  world.fn!.Environment = { Variables: { LOG_LEVEL: 'debug', PGHOST: TARGET.proxy.endpoint } };
  world.functionTags = { ...records };
  world.others = {
    worker: {
      config: { ...world.fn!, FunctionName: 'worker', FunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:worker` },
      tags: { ...records },
    },
  };
  const proxyGroup = world.groups.find((g) => g.GroupId === PROXY_GROUP)!;
  proxyGroup.Tags = [
    ...proxyGroup.Tags!,
    { Key: 'rdsproxy-setup:client:lambda:api', Value: 'postgres' },
    { Key: 'rdsproxy-setup:client:lambda:worker', Value: 'postgres' },
  ];
  proxyGroup.IpPermissions = [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: FUNCTION_GROUP, Description: RULE }] }];
  world.role!.inline[POLICY] = connectPolicyDocument([`arn:aws:rds-db:us-east-1:${ACCOUNT}:dbuser:prx-0abc/postgres`]);
  return world;
}

let world: World;
let log: string[];
beforeEach(() => {
  world = twoClients();
  log = [];
  serve(world);
  serveWrites(world, log);
});

const revoke = (name: string) => revokeClient(grantContext(), { stack: 'demo', proxySecurityGroupId: PROXY_GROUP }, { kind: 'lambda', name });
const proxyGroup = () => world.groups.find((g) => g.GroupId === PROXY_GROUP)!;

describe('revoking one of two clients that share a group and a role', () => {
  it('keeps the rule and the connect policy the other still uses, and removes only its own records', async () => {
    const result = await revoke('api');

    expect(proxyGroup().IpPermissions).toHaveLength(1);
    expect(iam.commandCalls(PutRolePolicyCommand)).toEqual([]);
    expect(iam.commandCalls(DeleteRolePolicyCommand)).toEqual([]);
    expect(world.functionTags).toEqual({});
    expect(proxyGroup().Tags!.map((t) => t.Key)).toEqual(['rdsproxy-setup:stack', 'rdsproxy-setup:client:lambda:worker']);
    expect(result.undone).toContain('Lambda function api: PGHOST removed');
  });

  it('and then the other removes the rule (whoever\'s grant added it) and the policy', async () => {
    await revoke('api');
    world.others!.worker!.tags = { ...records };

    await revoke('worker');

    expect(proxyGroup().IpPermissions).toEqual([]);
    expect(iam.commandCalls(DeleteRolePolicyCommand)[0]!.args[0].input).toEqual({ RoleName: 'api-role', PolicyName: POLICY });
    expect(proxyGroup().Tags!.map((t) => t.Key)).toEqual(['rdsproxy-setup:stack']);
  });
});

describe('a second revoke', () => {
  it('finds no record, changes nothing and says there is nothing to undo', async () => {
    await revoke('api');
    log.length = 0;

    const again = await revoke('api');

    expect(log).toEqual([]);
    expect(again.undone).toEqual([]);
    expect(again.notes).toEqual(['Nothing to undo: Lambda function api is no client of stack demo.']);
  });
});

describe('revoking a client whose proxy security group is gone', () => {
  it('still undoes what the function\'s own records say', async () => {
    const result = await revokeClient(grantContext(), { stack: 'demo', proxySecurityGroupId: undefined }, { kind: 'lambda', name: 'api' });

    expect(world.fn!.Environment).toEqual({ Variables: { LOG_LEVEL: 'debug' } });
    expect(world.functionTags).toEqual({});
    expect(result.undone).toContain('records removed from Lambda function api');
  });
});
