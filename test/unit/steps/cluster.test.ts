import type { Progress } from '../../../src/waiters/progress.js';
import {
  CreateDBClusterCommand,
  DBClusterNotFoundFault,
  DeleteDBClusterCommand,
  DescribeDBClustersCommand,
  InvalidDBClusterStateFault,
  ModifyDBClusterCommand,
  RDSClient,
  RDSServiceException,
  type DBCluster,
} from '@aws-sdk/client-rds';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ForeignResourceError } from '../../../src/errors.js';
import { clusterStep } from '../../../src/steps/cluster.js';
import type { StackResources } from '../../../src/steps/resources.js';
import type { RawUpOptions } from '../../../src/config/up-config.js';
import { RECORDED_CLUSTER, stepContext, TEST_RUN_ID } from '../support/step-context.js';

const rds = mockClient(RDSClient);
const secretsManager = mockClient(SecretsManagerClient);

const CLUSTER = 'unit-stack-cluster';
const PASSWORD = 'Zq8vLm2xRt5wKp9s';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rdsproxy-setup/unit-stack/master-AbCdEf';
const OUR_TAGS = [{ Key: 'rdsproxy-setup:stack', Value: 'unit-stack' }];

const EARLIER: Partial<StackResources> = {
  'subnet-group': { name: 'unit-stack-subnets', subnetIds: ['subnet-a', 'subnet-b'], reused: false },
  'cluster-sg': { id: 'sg-0cluster', name: 'unit-stack-cluster-sg', vpcId: 'vpc-1' },
  secret: { arn: SECRET_ARN, name: 'rdsproxy-setup/unit-stack/master' },
};

function context(options: { up?: RawUpOptions; progress?: (report: Progress) => void } = {}) {
  return stepContext({ resources: EARLIER, ...options });
}

/** A cluster as DescribeDBClusters reports one built the way `up` wants it. */
function described(overrides: Partial<DBCluster> = {}): DBCluster {
  return {
    DBClusterIdentifier: CLUSTER,
    DBClusterArn: `arn:aws:rds:us-east-1:123456789012:cluster:${CLUSTER}`,
    Status: 'available',
    Endpoint: `${CLUSTER}.cluster-abc.us-east-1.rds.amazonaws.com`,
    Port: 5432,
    DbClusterResourceId: 'cluster-ABCDEFG',
    DeletionProtection: true,
    IAMDatabaseAuthenticationEnabled: true,
    ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 2 },
    MasterUsername: 'postgres',
    DatabaseName: 'app',
    TagList: OUR_TAGS,
    ...overrides,
  };
}


const notFound = () => new DBClusterNotFoundFault({ message: `DBCluster ${CLUSTER} not found.`, $metadata: {} });

beforeEach(() => {
  rds.reset();
  secretsManager.reset();
  secretsManager.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({
    SecretString: JSON.stringify({ username: 'postgres', password: PASSWORD, engine: 'postgres', port: 5432 }),
  });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('cluster step: find', () => {
  it('finds nothing when RDS does not know the cluster', async () => {
    rds.on(DescribeDBClustersCommand).rejects(notFound());

    expect(await clusterStep.find(context())).toBeUndefined();
  });

  it('returns our tagged cluster with its endpoint and deletion protection', async () => {
    rds.on(DescribeDBClustersCommand, { DBClusterIdentifier: CLUSTER }).resolves({ DBClusters: [described()] });

    const found = await clusterStep.find(context());

    expect(found).toMatchObject({
      id: CLUSTER,
      arn: `arn:aws:rds:us-east-1:123456789012:cluster:${CLUSTER}`,
      status: 'available',
      endpoint: `${CLUSTER}.cluster-abc.us-east-1.rds.amazonaws.com`,
      port: 5432,
      deletionProtection: true,
  iamDatabaseAuthentication: true,
    });
  });

  it('reads which run created the cluster from its run tag', async () => {
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [described({ TagList: [...OUR_TAGS, { Key: 'rdsproxy-setup:run', Value: 'run-that-made-it' }] })] });

    expect((await clusterStep.find(context()))?.runId).toBe('run-that-made-it');
  });

  it('refuses a cluster with our name that carries another stack tag', async () => {
    rds
      .on(DescribeDBClustersCommand)
      .resolves({ DBClusters: [described({ TagList: [{ Key: 'rdsproxy-setup:stack', Value: 'other' }] })] });

    await expect(clusterStep.find(context())).rejects.toThrow(ForeignResourceError);
  });

  it('names the foreign cluster and the missing tag', async () => {
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [described({ TagList: [] })] });

    await expect(clusterStep.find(context())).rejects.toThrow(
      `${CLUSTER} exists but is not tagged rdsproxy-setup:stack=unit-stack`,
    );
  });
});

describe('cluster step: create', () => {
  it('asks for Aurora PostgreSQL Serverless v2 with every setting of the design', async () => {
    rds.on(CreateDBClusterCommand).resolves({ DBCluster: described({ Status: 'creating' }) });
    const ctx = context({ up: { engineVersion: '16.4', minAcu: '1', maxAcu: '8', dbName: 'orders' } });

    const created = await clusterStep.create(ctx);

    expect(rds.commandCalls(CreateDBClusterCommand)[0]!.args[0].input).toEqual({
      DBClusterIdentifier: CLUSTER,
      Engine: 'aurora-postgresql',
      EngineVersion: '16.4',
      EngineMode: 'provisioned',
      ServerlessV2ScalingConfiguration: { MinCapacity: 1, MaxCapacity: 8 },
      MasterUsername: 'postgres',
      MasterUserPassword: PASSWORD,
      DatabaseName: 'orders',
      DBSubnetGroupName: 'unit-stack-subnets',
      VpcSecurityGroupIds: ['sg-0cluster'],
      Port: 5432,
      EnableIAMDatabaseAuthentication: true,
      StorageEncrypted: true,
      DeletionProtection: true,
      Tags: [...OUR_TAGS, { Key: 'rdsproxy-setup:run', Value: TEST_RUN_ID }],
    });
    expect(created).toMatchObject({ id: CLUSTER, status: 'creating' });
  });

  it('uses the master user the secret holds', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ username: 'admin_user', password: PASSWORD }) });
    rds.on(CreateDBClusterCommand).resolves({ DBCluster: described({ Status: 'creating' }) });

    await clusterStep.create(context());

    expect(rds.commandCalls(CreateDBClusterCommand)[0]!.args[0].input.MasterUsername).toBe('admin_user');
  });

  it('sends the password to RDS but shows it in no progress line while creating and waiting', async () => {
    const progress: Progress[] = [];
    rds.on(CreateDBClusterCommand).resolves({ DBCluster: described({ Status: 'creating' }) });
    rds
      .on(DescribeDBClustersCommand)
      .resolvesOnce({ DBClusters: [described({ Status: 'creating' })] })
      .resolves({ DBClusters: [described()] });
    const ctx = context({ progress: (line) => progress.push(line) });

    const created = await clusterStep.create(ctx);
    await clusterStep.wait!(ctx, created);

    expect(rds.commandCalls(CreateDBClusterCommand)[0]!.args[0].input.MasterUserPassword).toBe(PASSWORD);
    expect(progress.length).toBeGreaterThan(0);
    expect(JSON.stringify(progress)).not.toContain(PASSWORD);
  });

  it('keeps the password out of the error even when RDS echoes it', async () => {
    rds.on(CreateDBClusterCommand).rejects(
      new RDSServiceException({
        name: 'InvalidParameterValue',
        $fault: 'client',
        $metadata: {},
        message: `The parameter MasterUserPassword is not a valid password: ${PASSWORD}`,
      }),
    );

    const error = (await clusterStep.create(context()).catch((e: unknown) => e)) as Error & { hint?: string };

    expect(error.message).toContain(`creating Aurora cluster ${CLUSTER}: The parameter MasterUserPassword`);
    expect(error.message).not.toContain(PASSWORD);
    expect(String(error.hint ?? '')).not.toContain(PASSWORD);
    expect(String(error.cause ?? '')).not.toContain(PASSWORD);
  });

  it('reports an RDS refusal as what it was doing plus the AWS message', async () => {
    rds.on(CreateDBClusterCommand).rejects(
      new RDSServiceException({
        name: 'DBClusterQuotaExceededFault',
        $fault: 'client',
        $metadata: {},
        message: 'Cannot create more than 40 DB clusters.',
      }),
    );

    await expect(clusterStep.create(context())).rejects.toThrow(
      `creating Aurora cluster ${CLUSTER}: Cannot create more than 40 DB clusters.`,
    );
  });
});

describe('cluster step: wait', () => {
  it('returns the cluster with its endpoint once it is available', async () => {
    rds
      .on(DescribeDBClustersCommand)
      .resolvesOnce({ DBClusters: [described({ Status: 'creating', Endpoint: undefined })] })
      .resolves({ DBClusters: [described()] });
    const ctx = context();

    const ready = await clusterStep.wait!(ctx, RECORDED_CLUSTER);

    expect(ready).toMatchObject({ status: 'available', endpoint: `${CLUSTER}.cluster-abc.us-east-1.rds.amazonaws.com` });
  });
});

describe('cluster step: drift and converge', () => {
  /** What find() returns when DescribeDBClusters shows the cluster so. */
  async function found(overrides: Partial<DBCluster> = {}) {
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [described(overrides)] });
    const cluster = await clusterStep.find(context());
    rds.reset();
    return cluster!;
  }

  it('sees no drift in a cluster built as wanted', async () => {
    expect(await clusterStep.drift!(context(), await found())).toEqual([]);
  });

  it('reports deletion protection and IAM database authentication that were turned off', async () => {
    const cluster = await found({ DeletionProtection: false, IAMDatabaseAuthenticationEnabled: false });

    expect(await clusterStep.drift!(context(), cluster)).toEqual([
      { field: 'DeletionProtection', have: 'off', want: 'on' },
      { field: 'IAMDatabaseAuthenticationEnabled', have: 'off', want: 'on' },
    ]);
  });

  it('reports a Serverless v2 capacity range other than the wanted one', async () => {
    const cluster = await found({ ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 16 } });

    expect(await clusterStep.drift!(context(), cluster)).toEqual([
      { field: 'ServerlessV2ScalingConfiguration', have: '0.5–16 ACU', want: '0.5–2 ACU' },
    ]);
  });

  it('turns deletion protection back on at once and changes nothing else', async () => {
    const cluster = await found({ DeletionProtection: false });
    rds.on(ModifyDBClusterCommand).resolves({ DBCluster: described() });
    const ctx = context();

    const repaired = await clusterStep.converge!(ctx, cluster, await clusterStep.drift!(ctx, cluster));

    expect(rds.commandCalls(ModifyDBClusterCommand).map((c) => c.args[0].input)).toEqual([
      { DBClusterIdentifier: CLUSTER, ApplyImmediately: true, DeletionProtection: true },
    ]);
    expect(repaired.deletionProtection).toBe(true);
  });

  it('waits for a busy cluster to be available before repairing it', async () => {
    const busy = await found({ Status: 'modifying', IAMDatabaseAuthenticationEnabled: false });
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [described({ IAMDatabaseAuthenticationEnabled: false })] });
    rds.on(ModifyDBClusterCommand).resolves({ DBCluster: described({ Status: 'modifying' }) });
    const ctx = context();

    await clusterStep.converge!(ctx, busy, [{ field: 'IAMDatabaseAuthenticationEnabled', have: 'off', want: 'on' }]);

    expect(rds.commandCalls(DescribeDBClustersCommand)).toHaveLength(1);
    const order = rds.calls().map((c) => c.args[0].constructor.name);
    expect(order).toEqual(['DescribeDBClustersCommand', 'ModifyDBClusterCommand']);
    expect(rds.commandCalls(ModifyDBClusterCommand).map((c) => c.args[0].input)).toEqual([
      { DBClusterIdentifier: CLUSTER, ApplyImmediately: true, EnableIAMDatabaseAuthentication: true },
    ]);
  });
});

describe('cluster step: destroy', () => {
  const SNAPSHOT_AT = new Date('2026-11-25T10:15:00Z');

  function clusterGoneAfterDelete(live: Partial<DBCluster> = {}) {
    rds
      .on(DescribeDBClustersCommand)
      .resolvesOnce({ DBClusters: [described(live)] })
      .resolvesOnce({ DBClusters: [described({ ...live, Status: 'deleting' })] })
      .rejects(notFound());
    rds.on(ModifyDBClusterCommand).resolves({ DBCluster: described({ DeletionProtection: false }) });
    rds.on(DeleteDBClusterCommand).resolves({ DBCluster: described({ Status: 'deleting' }) });
  }

  it('keeps a final snapshot named after the stack and the time, and reports it as kept', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(SNAPSHOT_AT);
    clusterGoneAfterDelete();
    const ctx = context();

    const kept = await clusterStep.destroy(ctx, RECORDED_CLUSTER, {
      finalSnapshot: true,
      forceDeleteSecret: false,
    });

    expect(rds.commandCalls(DeleteDBClusterCommand)[0]!.args[0].input).toEqual({
      DBClusterIdentifier: CLUSTER,
      FinalDBSnapshotIdentifier: 'unit-stack-final-20261125t101500z',
    });
    expect(kept).toMatchObject({ kind: 'snapshot', id: 'unit-stack-final-20261125t101500z' });
  });

  it('turns deletion protection off before it deletes', async () => {
    clusterGoneAfterDelete();
    const ctx = context();

    await clusterStep.destroy(ctx, RECORDED_CLUSTER, { finalSnapshot: true, forceDeleteSecret: false });

    const calls = rds.calls().map((c) => c.args[0].constructor.name);
    expect(calls.filter((n) => n !== 'DescribeDBClustersCommand')).toEqual([
      'ModifyDBClusterCommand',
      'DeleteDBClusterCommand',
    ]);
    expect(rds.commandCalls(ModifyDBClusterCommand)[0]!.args[0].input).toEqual({
      DBClusterIdentifier: CLUSTER,
      DeletionProtection: false,
      ApplyImmediately: true,
    });
  });

  it('skips the snapshot when told to, keeps nothing, and waits until the cluster is gone', async () => {
    clusterGoneAfterDelete({ DeletionProtection: false });
    const ctx = context();

    const kept = await clusterStep.destroy(ctx, RECORDED_CLUSTER, {
      finalSnapshot: false,
      forceDeleteSecret: false,
    });

    expect(rds.commandCalls(DeleteDBClusterCommand)[0]!.args[0].input).toEqual({
      DBClusterIdentifier: CLUSTER,
      SkipFinalSnapshot: true,
    });
    expect(rds.commandCalls(ModifyDBClusterCommand)).toHaveLength(0);
    expect(kept).toBeUndefined();
    // the look before deleting, then the waiter until not found
    expect(rds.commandCalls(DescribeDBClustersCommand)).toHaveLength(3);
  });

  it('retries turning deletion protection off while a just-created cluster is still busy', async () => {
    rds
      .on(DescribeDBClustersCommand)
      .resolvesOnce({ DBClusters: [described({ Status: 'creating' })] })
      .rejects(notFound());
    rds
      .on(ModifyDBClusterCommand)
      .rejectsOnce(
        new InvalidDBClusterStateFault({ message: 'DB cluster is not in available state.', $metadata: {} }),
      )
      .resolves({ DBCluster: described({ DeletionProtection: false }) });
    rds.on(DeleteDBClusterCommand).resolves({ DBCluster: described({ Status: 'deleting' }) });

    await clusterStep.destroy(context(), RECORDED_CLUSTER, { finalSnapshot: false, forceDeleteSecret: false });

    expect(rds.commandCalls(ModifyDBClusterCommand)).toHaveLength(2);
    expect(rds.commandCalls(DeleteDBClusterCommand)).toHaveLength(1);
  });

  it('counts a cluster that is already gone as deleted', async () => {
    rds.on(DescribeDBClustersCommand).rejects(notFound());

    const kept = await clusterStep.destroy(context(), RECORDED_CLUSTER, {
      finalSnapshot: true,
      forceDeleteSecret: false,
    });

    expect(kept).toBeUndefined();
    expect(rds.commandCalls(DeleteDBClusterCommand)).toHaveLength(0);
  });

  it('counts a cluster that vanishes as the delete is sent as deleted, with no snapshot to report', async () => {
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [described({ DeletionProtection: false })] });
    rds.on(DeleteDBClusterCommand).rejects(notFound());

    const kept = await clusterStep.destroy(context(), RECORDED_CLUSTER, {
      finalSnapshot: true,
      forceDeleteSecret: false,
    });

    expect(kept).toBeUndefined();
  });

  it('gives the commands to delete it by hand, keeping a final snapshot', () => {
    const command = clusterStep.manualDelete(context(), RECORDED_CLUSTER);

    expect(command).toContain(
      `aws rds modify-db-cluster --db-cluster-identifier ${CLUSTER} --region us-east-1 --no-deletion-protection --apply-immediately`,
    );
    expect(command).toMatch(
      new RegExp(
        `aws rds delete-db-cluster --db-cluster-identifier ${CLUSTER} --region us-east-1 ` +
          '--final-db-snapshot-identifier unit-stack-final-\\d{8}t\\d{6}z$',
      ),
    );
  });
});

describe('cluster step: summary', () => {
  it('shows id, ARN and status', async () => {
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [described({ Status: 'backing-up' })] });

    expect(clusterStep.summary((await clusterStep.find(context()))!)).toEqual({
      id: CLUSTER,
      arn: `arn:aws:rds:us-east-1:123456789012:cluster:${CLUSTER}`,
      state: 'backing-up',
    });
  });
});
