import type { DBProxyTarget } from '@aws-sdk/client-rds';
import type { Subnet } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { absent, got } from '../../../src/doctor/read.js';
import type { RoleSnapshot } from '../../../src/doctor/snapshot.js';
import { check, checkAll, healthySnapshot, PROXY_NAME, SECRET_ARN, value } from './healthy-snapshot.js';

describe('proxy.status', () => {
  it('fails a proxy that does not exist, and the other checks are skipped rather than passed', async () => {
    const snapshot = healthySnapshot();
    snapshot.proxy = absent(`reading RDS proxy ${PROXY_NAME}: not found (DBProxyNotFoundFault)`, 'DBProxyNotFoundFault');
    const results = await checkAll(snapshot, {});
    expect(results.get('proxy.status')?.status).toBe('fail');
    expect(results.get('proxy.status')?.evidence).toBe(`No RDS proxy named ${PROXY_NAME} in us-east-1.`);
    expect(results.get('iam.role-trust')?.status).toBe('skip');
    expect(results.get('proxy.targets')?.status).toBe('skip');
  });

  it('explains incompatible-network with its fix', async () => {
    const snapshot = healthySnapshot();
    value<{ Status: string }>(snapshot.proxy).Status = 'incompatible-network';
    const result = await check('proxy.status', snapshot);
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('cannot run in its network');
    expect(result.fix).toContain('See proxy.subnets');
  });

  it('explains insufficient-resource-limits with its fix', async () => {
    const snapshot = healthySnapshot();
    value<{ Status: string }>(snapshot.proxy).Status = 'insufficient-resource-limits';
    const result = await check('proxy.status', snapshot);
    expect(result.status).toBe('fail');
    expect(result.fix).toContain('Service Quotas');
  });
});

describe('proxy.auth', () => {
  it('fails IAMAuth DISABLED, with the auth entry that requires IAM', async () => {
    const snapshot = healthySnapshot();
    value<{ Auth: { IAMAuth: string }[] }>(snapshot.proxy).Auth[0]!.IAMAuth = 'DISABLED';
    const result = await check('proxy.auth', snapshot);
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain(`SECRETS ${SECRET_ARN} IAMAuth DISABLED`);
    expect(result.fix).toBe(
      `aws rds modify-db-proxy --db-proxy-name ${PROXY_NAME} --auth '[{"AuthScheme":"SECRETS","SecretArn":"${SECRET_ARN}","IAMAuth":"REQUIRED"}]'`,
    );
  });
});

describe('proxy.targets', () => {
  const targets = (rows: DBProxyTarget[]) => {
    const snapshot = healthySnapshot();
    snapshot.targets = got(rows);
    return snapshot;
  };

  it('judges the TRACKED_CLUSTER row when no RDS_INSTANCE row exists, and says so', async () => {
    const result = await check('proxy.targets', targets([{ Type: 'TRACKED_CLUSTER', RdsResourceId: 'orders-db', TargetHealth: { State: 'AVAILABLE' } }]));
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('no RDS_INSTANCE rows are reported');
  });

  it('fails an instance row with AUTH_FAILURE, quoting it and marking the checks that explain it', async () => {
    const snapshot = targets([
      { Type: 'TRACKED_CLUSTER', RdsResourceId: 'orders-db', TargetHealth: { State: 'AVAILABLE' } },
      {
        Type: 'RDS_INSTANCE',
        RdsResourceId: 'orders-writer',
        TargetHealth: { State: 'UNAVAILABLE', Reason: 'AUTH_FAILURE', Description: 'Proxy does not have any registered credentials' },
      },
    ]);
    snapshot.role = got({ ...value<RoleSnapshot>(snapshot.role), policies: got([]) });
    const result = await check('proxy.targets', snapshot);
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('RDS_INSTANCE orders-writer: State UNAVAILABLE, Reason AUTH_FAILURE, Description "Proxy does not have any registered credentials"');
    expect(result.fix).toContain('see iam.role-reads-secret (fail), iam.role-kms (pass), secret.shape (pass)');
    expect(result.fix).toContain('password');
  });

  it('routes PENDING_PROXY_CAPACITY to the subnets and the egress', async () => {
    const result = await check(
      'proxy.targets',
      targets([{ Type: 'RDS_INSTANCE', RdsResourceId: 'orders-writer', TargetHealth: { State: 'UNAVAILABLE', Reason: 'PENDING_PROXY_CAPACITY' } }]),
    );
    expect(result.fix).toContain('see proxy.subnets (pass), sg.proxy-egress-secrets (pass)');
  });

  it('prints a reason it does not know exactly as AWS gives it', async () => {
    const result = await check(
      'proxy.targets',
      targets([{ Type: 'RDS_INSTANCE', RdsResourceId: 'orders-writer', TargetHealth: { State: 'UNAVAILABLE', Reason: 'INVALID_REPLICATION_STATE', Description: 'replica lag' } }]),
    );
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('Reason INVALID_REPLICATION_STATE, Description "replica lag"');
    expect(result.fix).toContain('INVALID_REPLICATION_STATE is not a reason this tool knows');
  });

  const row = (type: 'TRACKED_CLUSTER' | 'RDS_INSTANCE', id: string, State: 'AVAILABLE' | 'REGISTERING' | 'UNUSED' | 'UNAVAILABLE'): DBProxyTarget => ({
    Type: type,
    RdsResourceId: id,
    TargetHealth: { State },
  });

  it('passes with an AVAILABLE instance and lists an UNUSED one in the evidence without failing on it', async () => {
    const result = await check(
      'proxy.targets',
      targets([row('TRACKED_CLUSTER', 'orders-db', 'AVAILABLE'), row('RDS_INSTANCE', 'orders-writer', 'AVAILABLE'), row('RDS_INSTANCE', 'orders-reader', 'UNUSED')]),
    );
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('RDS_INSTANCE orders-writer: AVAILABLE');
    expect(result.evidence).toContain('RDS_INSTANCE orders-reader is UNUSED (not in use by the proxy, so neither required nor a failure)');
  });

  it('passes with an AVAILABLE instance while another is still REGISTERING, noting it as pending', async () => {
    const result = await check('proxy.targets', targets([row('RDS_INSTANCE', 'orders-writer', 'AVAILABLE'), row('RDS_INSTANCE', 'orders-reader', 'REGISTERING')]));
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('RDS_INSTANCE orders-reader is still REGISTERING (pending, not a failure)');
  });

  it('fails an UNAVAILABLE instance even when another one is AVAILABLE', async () => {
    const result = await check('proxy.targets', targets([row('RDS_INSTANCE', 'orders-writer', 'AVAILABLE'), row('RDS_INSTANCE', 'orders-reader', 'UNAVAILABLE')]));
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('RDS_INSTANCE orders-reader: State UNAVAILABLE');
  });

  it('warns, not fails, when the only instance is still REGISTERING', async () => {
    const result = await check('proxy.targets', targets([row('TRACKED_CLUSTER', 'orders-db', 'AVAILABLE'), row('RDS_INSTANCE', 'orders-writer', 'REGISTERING')]));
    expect(result.status).toBe('warn');
    expect(result.evidence).toContain('No target row is AVAILABLE yet');
    expect(result.fix).toContain('run doctor again');
  });

  it('fails when every instance row is UNUSED: no AVAILABLE instance serves connections', async () => {
    const result = await check('proxy.targets', targets([row('TRACKED_CLUSTER', 'orders-db', 'AVAILABLE'), row('RDS_INSTANCE', 'orders-writer', 'UNUSED')]));
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('RDS_INSTANCE orders-writer is UNUSED');
  });

  it('fails a proxy with no target, with the register command', async () => {
    const result = await check('proxy.targets', targets([]));
    expect(result.status).toBe('fail');
    expect(result.fix).toContain(`aws rds register-db-proxy-targets --db-proxy-name ${PROXY_NAME}`);
  });
});

describe('proxy.subnets', () => {
  it('warns when the proxy subnets sit in one Availability Zone', async () => {
    const snapshot = healthySnapshot();
    value<Map<string, Subnet>>(snapshot.subnets).get('subnet-b')!.AvailabilityZone = 'us-east-1a';
    const result = await check('proxy.subnets', snapshot);
    expect(result.status).toBe('warn');
    expect(result.evidence).toContain('span 1 Availability Zone');
    expect(result.fix).toContain('cannot be changed');
  });

  it('warns about a subnet with fewer than 10 free addresses', async () => {
    const snapshot = healthySnapshot();
    value<Map<string, Subnet>>(snapshot.subnets).get('subnet-a')!.AvailableIpAddressCount = 3;
    const result = await check('proxy.subnets', snapshot);
    expect(result.status).toBe('warn');
    expect(result.evidence).toContain('subnet-a has 3 free addresses');
  });
});
