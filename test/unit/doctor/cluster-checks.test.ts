import type { DBCluster } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { check, healthySnapshot, value } from './healthy-snapshot.js';

describe('cluster.supported', () => {
  const cluster = (change: (c: DBCluster) => void) => {
    const snapshot = healthySnapshot();
    change(value<DBCluster>(snapshot.cluster));
    return snapshot;
  };

  it('fails Aurora Serverless v1, pointing at Serverless v2 or the Data API', async () => {
    const result = await check('cluster.supported', cluster((c) => (c.EngineMode = 'serverless')));
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('Aurora Serverless v1; RDS Proxy does not support it');
    expect(result.fix).toContain('Serverless v2');
    expect(result.fix).toContain('Data API');
  });

  it('fails a cluster that is not available', async () => {
    const result = await check('cluster.supported', cluster((c) => (c.Status = 'stopped')));
    expect(result.status).toBe('fail');
    expect(result.fix).toContain('aws rds start-db-cluster --db-cluster-identifier orders-db');
  });

  it('fails a cluster without a writer instance, with the command that adds one', async () => {
    const result = await check('cluster.supported', cluster((c) => (c.DBClusterMembers = [])));
    expect(result.status).toBe('fail');
    expect(result.fix).toContain('aws rds create-db-instance --db-instance-identifier orders-db-writer --db-cluster-identifier orders-db');
  });

  it('fails db.serverless instances on a cluster without a Serverless v2 scaling configuration', async () => {
    const result = await check('cluster.supported', cluster((c) => delete c.ServerlessV2ScalingConfiguration));
    expect(result.status).toBe('fail');
    expect(result.fix).toContain('--serverless-v2-scaling-configuration');
  });
});
