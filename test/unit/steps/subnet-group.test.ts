import {
  CreateDBSubnetGroupCommand,
  DBSubnetGroupNotFoundFault,
  DeleteDBSubnetGroupCommand,
  DescribeDBSubnetGroupsCommand,
  ListTagsForResourceCommand,
  ModifyDBSubnetGroupCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RawUpOptions } from '../../../src/config/up-config.js';
import { ForeignResourceError } from '../../../src/errors.js';
import { subnetGroupStep } from '../../../src/steps/subnet-group.js';
import { stepContext, TEST_NETWORK, TEST_RUN_ID } from '../support/step-context.js';

const rds = mockClient(RDSClient);
const ARN = 'arn:aws:rds:us-east-1:123456789012:subgrp:unit-stack-subnets';
const OURS = { name: 'unit-stack-subnets', arn: ARN, subnetIds: TEST_NETWORK.subnetIds, reused: false };
const NO_OPTIONS = { finalSnapshot: false, forceDeleteSecret: false };

const context = (up: RawUpOptions = {}) => stepContext({ up, resources: { network: TEST_NETWORK } });
const notFound = () => new DBSubnetGroupNotFoundFault({ message: 'DBSubnetGroup not found', $metadata: {} });
const describedGroup = (name: string, arn: string, subnetIds: string[]) => ({
  DBSubnetGroups: [
    { DBSubnetGroupName: name, DBSubnetGroupArn: arn, Subnets: subnetIds.map((id) => ({ SubnetIdentifier: id })) },
  ],
});

beforeEach(() => rds.reset());

describe('DB subnet group: find', () => {
  it('finds nothing when no group has the derived name', async () => {
    rds.on(DescribeDBSubnetGroupsCommand).rejects(notFound());

    expect(await subnetGroupStep.find(context())).toBeUndefined();
  });

  it('finds our group and checks its tag by ARN', async () => {
    rds.on(DescribeDBSubnetGroupsCommand, { DBSubnetGroupName: 'unit-stack-subnets' }).resolves(
      describedGroup('unit-stack-subnets', ARN, TEST_NETWORK.subnetIds),
    );
    rds.on(ListTagsForResourceCommand, { ResourceName: ARN }).resolves({
      TagList: [{ Key: 'rdsproxy-setup:stack', Value: 'unit-stack' }],
    });

    expect(await subnetGroupStep.find(context())).toEqual(OURS);
  });

  it('reads which run created the group from its run tag', async () => {
    rds.on(DescribeDBSubnetGroupsCommand).resolves(describedGroup('unit-stack-subnets', ARN, TEST_NETWORK.subnetIds));
    rds.on(ListTagsForResourceCommand).resolves({ TagList: [{ Key: 'rdsproxy-setup:stack', Value: 'unit-stack' }, { Key: 'rdsproxy-setup:run', Value: 'run-that-made-it' }] });

    expect(await subnetGroupStep.find(context())).toEqual({ ...OURS, runId: 'run-that-made-it' });
  });

  it('stops on a group with our name but without our tag', async () => {
    rds.on(DescribeDBSubnetGroupsCommand).resolves(describedGroup('unit-stack-subnets', ARN, TEST_NETWORK.subnetIds));
    rds.on(ListTagsForResourceCommand).resolves({ TagList: [{ Key: 'team', Value: 'payments' }] });

    const err = await subnetGroupStep.find(context()).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ForeignResourceError);
    expect((err as Error).message).toContain('DB subnet group unit-stack-subnets');
  });

  it('returns the group given by --db-subnet-group as reused, without asking for its tags', async () => {
    const sharedArn = 'arn:aws:rds:us-east-1:123456789012:subgrp:shared';
    rds.on(DescribeDBSubnetGroupsCommand, { DBSubnetGroupName: 'shared' }).resolves(
      describedGroup('shared', sharedArn, ['subnet-00000009', 'subnet-00000008']),
    );

    const group = await subnetGroupStep.find(context({ dbSubnetGroup: 'shared' }));

    expect(group).toEqual({ name: 'shared', arn: sharedArn, subnetIds: ['subnet-00000009', 'subnet-00000008'], reused: true });
    expect(rds.commandCalls(ListTagsForResourceCommand)).toHaveLength(0);
  });
});

describe('DB subnet group: create', () => {
  it("creates the group over the network's subnets, tagged with the stack", async () => {
    rds.on(CreateDBSubnetGroupCommand).resolves({
      DBSubnetGroup: describedGroup('unit-stack-subnets', ARN, TEST_NETWORK.subnetIds).DBSubnetGroups[0],
    });

    const group = await subnetGroupStep.create(context());

    expect(group).toEqual(OURS);
    expect(rds.commandCalls(CreateDBSubnetGroupCommand)[0]!.args[0].input).toEqual({
      DBSubnetGroupName: 'unit-stack-subnets',
      DBSubnetGroupDescription: 'rdsproxy-setup unit-stack',
      SubnetIds: ['subnet-00000001', 'subnet-00000002'],
      Tags: [{ Key: 'rdsproxy-setup:stack', Value: 'unit-stack' }, { Key: 'rdsproxy-setup:run', Value: TEST_RUN_ID }],
    });
  });
});

describe('DB subnet group: drift', () => {
  it('reports nothing when the group holds the same subnets in any order', async () => {
    expect(await subnetGroupStep.drift!(context(), { ...OURS, subnetIds: ['subnet-00000002', 'subnet-00000001'] })).toEqual([]);
  });

  it('reports different subnets and converges by setting the wanted ones', async () => {
    const current = { ...OURS, subnetIds: ['subnet-00000001', 'subnet-00000003'] };
    rds.on(ModifyDBSubnetGroupCommand).resolves({
      DBSubnetGroup: describedGroup('unit-stack-subnets', ARN, TEST_NETWORK.subnetIds).DBSubnetGroups[0],
    });

    const drift = await subnetGroupStep.drift!(context(), current);
    const converged = await subnetGroupStep.converge!(context(), current, drift);

    expect(drift).toEqual([
      { field: 'SubnetIds', have: 'subnet-00000001, subnet-00000003', want: 'subnet-00000001, subnet-00000002' },
    ]);
    expect(rds.commandCalls(ModifyDBSubnetGroupCommand)[0]!.args[0].input).toEqual({
      DBSubnetGroupName: 'unit-stack-subnets',
      SubnetIds: ['subnet-00000001', 'subnet-00000002'],
    });
    expect(converged.subnetIds).toEqual(TEST_NETWORK.subnetIds);
  });

  it('never reports drift on a reused group', async () => {
    const reused = { name: 'shared', subnetIds: ['subnet-00000009'], reused: true };

    expect(await subnetGroupStep.drift!(context({ dbSubnetGroup: 'shared' }), reused)).toEqual([]);
  });
});

describe('DB subnet group: destroy', () => {
  it('deletes our group by name', async () => {
    rds.on(DeleteDBSubnetGroupCommand).resolves({});

    await subnetGroupStep.destroy(context(), OURS, NO_OPTIONS);

    expect(rds.commandCalls(DeleteDBSubnetGroupCommand)[0]!.args[0].input).toEqual({
      DBSubnetGroupName: 'unit-stack-subnets',
    });
  });

  it('counts a group that is already gone as deleted', async () => {
    rds.on(DeleteDBSubnetGroupCommand).rejects(notFound());

    await expect(subnetGroupStep.destroy(context(), OURS, NO_OPTIONS)).resolves.toBeUndefined();
  });

  it('never deletes a reused group', async () => {
    await subnetGroupStep.destroy(context(), { name: 'shared', subnetIds: [], reused: true }, NO_OPTIONS);

    expect(rds.calls()).toHaveLength(0);
  });

  it('gives the manual delete command', () => {
    expect(subnetGroupStep.manualDelete(context(), OURS)).toBe(
      'aws rds delete-db-subnet-group --db-subnet-group-name unit-stack-subnets --region us-east-1',
    );
  });
});
