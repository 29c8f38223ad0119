import { describe, expect, it } from 'vitest';
import { upConfig, type RawUpOptions } from '../../../src/config/up-config.js';
import { UsageError } from '../../../src/errors.js';

/** Builds settings from options that must be refused and returns the UsageError. */
function refusal(raw: RawUpOptions): UsageError {
  try {
    upConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    return err as UsageError;
  }
  throw new Error('expected a UsageError, but the options were accepted');
}

describe('upConfig', () => {
  it('with no options builds the documented defaults', () => {
    const settings = upConfig({});

    expect(settings).toEqual({
      dryRun: false,
      rollback: true,
      vpcId: undefined,
      subnetIds: undefined,
      dbSubnetGroup: undefined,
      clientSecurityGroup: undefined,
      clientCidr: undefined,
      engineVersion: '16.6',
      minAcu: 0.5,
      maxAcu: 2,
      dbName: 'app',
      masterUser: 'postgres',
      pool: { borrowTimeoutSeconds: 120, maxConnectionsPercent: 100, maxIdleConnectionsPercent: 50 },
      idleClientTimeoutSeconds: 1800,
      debugLogging: false,
      auth: undefined,
      dataApi: false,
    });
  });

  it('takes every given option, converting numbers and splitting the subnet list', () => {
    const settings = upConfig({
      dryRun: true,
      rollback: false,
      vpcId: 'vpc-0a1b2c3d',
      subnetIds: 'subnet-0123abcd,subnet-4567cdef',
      clientCidr: '10.1.0.0/16',
      engineVersion: '15.10',
      minAcu: '1',
      maxAcu: '8',
      dbName: 'orders',
      masterUser: 'owner',
      borrowTimeout: '30',
      maxConnectionsPercent: '90',
      maxIdlePercent: '10',
      idleTimeout: '600',
      debugLogging: true,
    });

    expect(settings).toMatchObject({
      dryRun: true,
      rollback: false,
      vpcId: 'vpc-0a1b2c3d',
      subnetIds: ['subnet-0123abcd', 'subnet-4567cdef'],
      clientCidr: '10.1.0.0/16',
      engineVersion: '15.10',
      minAcu: 1,
      maxAcu: 8,
      dbName: 'orders',
      masterUser: 'owner',
      pool: { borrowTimeoutSeconds: 30, maxConnectionsPercent: 90, maxIdleConnectionsPercent: 10 },
      idleClientTimeoutSeconds: 600,
      debugLogging: true,
    });
  });

  it('takes a client security group and an existing DB subnet group', () => {
    const settings = upConfig({ clientSg: 'sg-0123abcd', dbSubnetGroup: 'shared-db-subnets' });

    expect(settings.clientSecurityGroup).toBe('sg-0123abcd');
    expect(settings.dbSubnetGroup).toBe('shared-db-subnets');
  });

  it('refuses --client-sg together with --client-cidr', () => {
    const message = refusal({ clientSg: 'sg-0123abcd', clientCidr: '10.0.0.0/16' }).message;
    expect(message).toContain('--client-sg');
    expect(message).toContain('--client-cidr');
  });

  it('refuses --db-subnet-group together with --subnet-ids', () => {
    const message = refusal({ dbSubnetGroup: 'shared', subnetIds: 'subnet-0123abcd,subnet-4567cdef' }).message;
    expect(message).toContain('--db-subnet-group');
    expect(message).toContain('--subnet-ids');
  });

  it('refuses a DB subnet group name RDS would not accept', () => {
    expect(refusal({ dbSubnetGroup: '9-subnets' }).message).toContain('--db-subnet-group');
  });

  it('takes the account\'s default DB subnet group: "default" is refused only when creating one', () => {
    expect(upConfig({ dbSubnetGroup: 'default' }).dbSubnetGroup).toBe('default');
  });

  it('takes a borrow timeout of 300 seconds, the most AWS allows', () => {
    expect(upConfig({ borrowTimeout: '300' }).pool.borrowTimeoutSeconds).toBe(300);
  });

  it('refuses a borrow timeout of 301 seconds, which AWS would refuse only once the proxy exists', () => {
    const message = refusal({ borrowTimeout: '301' }).message;

    expect(message).toContain('--borrow-timeout must be a whole number from 0 to 300 seconds');
  });

  it('defaults idle connections to half of the pool when only the pool size is given, as AWS does', () => {
    expect(upConfig({ maxConnectionsPercent: '20' }).pool).toMatchObject({ maxConnectionsPercent: 20, maxIdleConnectionsPercent: 10 });
  });

  it('refuses more idle connections than connections', () => {
    const message = refusal({ maxConnectionsPercent: '40', maxIdlePercent: '50' }).message;
    expect(message).toContain('--max-idle-percent');
    expect(message).toContain('--max-connections-percent');
  });

  it.each<[string, RawUpOptions]>([
    ['--vpc-id', { vpcId: 'default' }],
    ['--subnet-ids', { subnetIds: 'subnet-0123abcd' }],
    ['--client-sg', { clientSg: 'my-sg' }],
    ['--client-cidr', { clientCidr: '0.0.0.0/0' }],
    ['--engine-version', { engineVersion: '16' }],
    ['--min-acu', { minAcu: '0.3' }],
    ['--max-acu', { maxAcu: '300' }],
    ['--db-name', { dbName: 'template1' }],
    ['--master-user', { masterUser: 'rdsadmin' }],
    ['--borrow-timeout', { borrowTimeout: '3601' }],
    ['--master-user', { masterUser: 'a'.repeat(17) }],
    ['--max-connections-percent', { maxConnectionsPercent: '0' }],
    ['--max-idle-percent', { maxIdlePercent: '101' }],
    ['--idle-timeout', { idleTimeout: '0' }],
  ])('refuses a bad %s, naming it', (option, raw) => {
    expect(refusal(raw).message).toContain(option);
  });
});
