import {
  CreateDBInstanceCommand,
  DBInstanceNotFoundFault,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  InvalidDBClusterStateFault,
  InvalidDBInstanceStateFault,
  RDSClient,
  RDSServiceException,
  type DBInstance,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ForeignResourceError } from '../../../src/errors.js';
import { instanceStep } from '../../../src/steps/instance.js';
import type { Instance, StackResources } from '../../../src/steps/resources.js';
import { stepContext, TEST_RUN_ID } from '../support/step-context.js';

const rds = mockClient(RDSClient);

const INSTANCE = 'unit-stack-writer';
const OUR_TAGS = [{ Key: 'rdsproxy-setup:stack', Value: 'unit-stack' }];
const ARN = `arn:aws:rds:us-east-1:123456789012:db:${INSTANCE}`;

const EARLIER: Partial<StackResources> = {
  cluster: {
    id: 'unit-stack-cluster',
    arn: 'arn:aws:rds:us-east-1:123456789012:cluster:unit-stack-cluster',
    status: 'available',
    endpoint: 'unit-stack-cluster.cluster-abc.us-east-1.rds.amazonaws.com',
    port: 5432,
    deletionProtection: true,
  iamDatabaseAuthentication: true,
    masterUser: 'postgres',
  },
};

const RECORDED: Instance = { id: INSTANCE, arn: ARN, status: 'available' };

function described(overrides: Partial<DBInstance> = {}): DBInstance {
  return {
    DBInstanceIdentifier: INSTANCE,
    DBInstanceArn: ARN,
    DBInstanceStatus: 'available',
    DBInstanceClass: 'db.serverless',
    DBClusterIdentifier: 'unit-stack-cluster',
    TagList: OUR_TAGS,
    ...overrides,
  };
}

const notFound = () => new DBInstanceNotFoundFault({ message: `DBInstance ${INSTANCE} not found.`, $metadata: {} });
const context = () => stepContext({ resources: EARLIER });

beforeEach(() => {
  rds.reset();
});

describe('instance step: find', () => {
  it('finds nothing when RDS does not know the instance', async () => {
    rds.on(DescribeDBInstancesCommand).rejects(notFound());

    expect(await instanceStep.find(context())).toBeUndefined();
  });

  it('returns our tagged instance with its status', async () => {
    rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: INSTANCE }).resolves({
      DBInstances: [described({ DBInstanceStatus: 'creating' })],
    });

    expect(await instanceStep.find(context())).toEqual({ id: INSTANCE, arn: ARN, status: 'creating' });
  });

  it('reads which run created the instance from its run tag', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [described({ TagList: [...OUR_TAGS, { Key: 'rdsproxy-setup:run', Value: 'run-that-made-it' }] })] });

    expect((await instanceStep.find(context()))?.runId).toBe('run-that-made-it');
  });

  it('refuses an instance with our name but without our tag', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [described({ TagList: [] })] });

    await expect(instanceStep.find(context())).rejects.toThrow(ForeignResourceError);
  });
});

describe('instance step: create', () => {
  it("starts once the cluster's create call has returned, without waiting until the cluster is available", () => {
    expect(instanceStep.needs).toEqual(['cluster']);
    expect(instanceStep.startsAfterCreated).toEqual(['cluster']);
  });

  it('asks for a db.serverless Aurora PostgreSQL writer in our cluster, private and tagged', async () => {
    rds.on(CreateDBInstanceCommand).resolves({ DBInstance: described({ DBInstanceStatus: 'creating' }) });

    const created = await instanceStep.create(context());

    expect(rds.commandCalls(CreateDBInstanceCommand)[0]!.args[0].input).toEqual({
      DBInstanceIdentifier: INSTANCE,
      DBInstanceClass: 'db.serverless',
      Engine: 'aurora-postgresql',
      DBClusterIdentifier: 'unit-stack-cluster',
      PubliclyAccessible: false,
      Tags: [...OUR_TAGS, { Key: 'rdsproxy-setup:run', Value: TEST_RUN_ID }],
    });
    expect(created).toEqual({ id: INSTANCE, arn: ARN, status: 'creating' });
  });

  it('retries while the cluster is not yet ready to take an instance', async () => {
    rds
      .on(CreateDBInstanceCommand)
      .rejectsOnce(new InvalidDBClusterStateFault({ message: 'Cluster is in creating state.', $metadata: {} }))
      .resolves({ DBInstance: described({ DBInstanceStatus: 'creating' }) });

    await instanceStep.create(context());

    expect(rds.commandCalls(CreateDBInstanceCommand)).toHaveLength(2);
  });

  it('reports any other refusal with what it was doing', async () => {
    rds.on(CreateDBInstanceCommand).rejects(
      new RDSServiceException({
        name: 'InstanceQuotaExceededFault',
        $fault: 'client',
        $metadata: {},
        message: 'Instance quota exceeded',
      }),
    );

    await expect(instanceStep.create(context())).rejects.toThrow(
      `creating DB instance ${INSTANCE}: Instance quota exceeded`,
    );
    expect(rds.commandCalls(CreateDBInstanceCommand)).toHaveLength(1);
  });
});

describe('instance step: wait', () => {
  it('returns the instance once it is available', async () => {
    rds
      .on(DescribeDBInstancesCommand)
      .resolvesOnce({ DBInstances: [described({ DBInstanceStatus: 'creating' })] })
      .resolves({ DBInstances: [described()] });

    expect(await instanceStep.wait!(context(), { ...RECORDED, status: 'creating' })).toEqual(RECORDED);
  });
});

describe('instance step: destroy', () => {
  it('deletes the instance and waits until it is gone', async () => {
    rds.on(DeleteDBInstanceCommand).resolves({ DBInstance: described({ DBInstanceStatus: 'deleting' }) });
    rds
      .on(DescribeDBInstancesCommand)
      .resolvesOnce({ DBInstances: [described({ DBInstanceStatus: 'deleting' })] })
      .rejects(notFound());

    await instanceStep.destroy(context(), RECORDED, { finalSnapshot: true, forceDeleteSecret: false });

    expect(rds.commandCalls(DeleteDBInstanceCommand)[0]!.args[0].input).toEqual({ DBInstanceIdentifier: INSTANCE });
    expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(2);
  });

  it('counts an instance that is already gone as deleted', async () => {
    rds.on(DeleteDBInstanceCommand).rejects(notFound());
    rds.on(DescribeDBInstancesCommand).rejects(notFound());

    await expect(
      instanceStep.destroy(context(), RECORDED, { finalSnapshot: false, forceDeleteSecret: false }),
    ).resolves.toBeUndefined();
  });

  it('waits for an instance that another run is already deleting', async () => {
    rds
      .on(DeleteDBInstanceCommand)
      .rejects(new InvalidDBInstanceStateFault({ message: 'Instance is already being deleted.', $metadata: {} }));
    rds
      .on(DescribeDBInstancesCommand)
      .resolvesOnce({ DBInstances: [described({ DBInstanceStatus: 'deleting' })] })
      .resolvesOnce({ DBInstances: [described({ DBInstanceStatus: 'deleting' })] })
      .rejects(notFound());

    await instanceStep.destroy(context(), RECORDED, { finalSnapshot: false, forceDeleteSecret: false });

    expect(rds.commandCalls(DeleteDBInstanceCommand)).toHaveLength(1);
    expect(rds.commandCalls(DescribeDBInstancesCommand)).toHaveLength(3);
  });

  it('gives the command to delete it by hand', () => {
    expect(instanceStep.manualDelete(context(), RECORDED)).toBe(
      `aws rds delete-db-instance --db-instance-identifier ${INSTANCE} --region us-east-1`,
    );
  });
});

describe('instance step: summary', () => {
  it('shows id, ARN and status', () => {
    expect(instanceStep.summary(RECORDED)).toEqual({ id: INSTANCE, arn: ARN, state: 'available' });
  });
});

describe('instance step: drift', () => {
  it('has none to check: the class and cluster are fixed at creation', () => {
    expect(instanceStep.drift).toBeUndefined();
    expect(instanceStep.converge).toBeUndefined();
  });
});
