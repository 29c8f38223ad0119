import { describe, expect, it } from 'vitest';
import * as rule from '../../../src/config/rules.js';
import { stackNames } from '../../../src/config/names.js';
import { UsageError } from '../../../src/errors.js';

/** Runs a rule that must refuse its input and returns the UsageError it threw. */
function refusal(run: () => unknown): UsageError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    return err as UsageError;
  }
  throw new Error('expected a UsageError, but the value was accepted');
}

describe('stackName', () => {
  it.each(['demo', 'orders-dev', 'a', 'a1-b2-c3', 'x'.repeat(40)])('accepts %s', (name) => {
    expect(rule.stackName(name)).toBe(name);
  });

  it.each(['', 'Demo', '1demo', '-demo', 'demo-', 'or--ders', 'orders_dev', 'orders.dev', 'x'.repeat(41)])(
    'refuses "%s" naming --name',
    (name) => {
      expect(refusal(() => rule.stackName(name)).message).toContain('--name');
    },
  );

  it('names the option it was given for', () => {
    expect(refusal(() => rule.stackName('Bad', '--stack')).message).toContain('--stack');
  });
});

describe('AWS resource ids', () => {
  it('accepts short and long security group, subnet and VPC ids', () => {
    expect(rule.securityGroupId('sg-0123abcd', '--client-sg')).toBe('sg-0123abcd');
    expect(rule.subnetId('subnet-0123456789abcdef0', '--subnet-ids')).toBe('subnet-0123456789abcdef0');
    expect(rule.vpcId('vpc-0a1b2c3d', '--vpc-id')).toBe('vpc-0a1b2c3d');
  });

  it.each(['sg-123', 'sg-0123ABCD', 'subnet-0123abcd', 'sg-0123456789abcdef', 'sg-0123abcdx'])(
    'refuses "%s" as a security group id naming the option',
    (id) => {
      expect(refusal(() => rule.securityGroupId(id, '--client-sg')).message).toContain('--client-sg');
    },
  );

  it('refuses a VPC id given where a VPC is expected but carrying another prefix', () => {
    expect(refusal(() => rule.vpcId('sg-0123abcd', '--vpc-id')).message).toContain('--vpc-id');
  });
});

describe('subnetIds', () => {
  it('splits a comma-separated list and trims spaces', () => {
    expect(rule.subnetIds('subnet-0123abcd, subnet-4567cdef', '--subnet-ids')).toEqual([
      'subnet-0123abcd',
      'subnet-4567cdef',
    ]);
  });

  it('refuses a single subnet: RDS needs two Availability Zones', () => {
    expect(refusal(() => rule.subnetIds('subnet-0123abcd', '--subnet-ids')).message).toMatch(/--subnet-ids.*at least two/);
  });

  it('refuses the same subnet twice', () => {
    expect(refusal(() => rule.subnetIds('subnet-0123abcd,subnet-0123abcd', '--subnet-ids')).message).toContain(
      '--subnet-ids',
    );
  });

  it('refuses a list with a malformed id', () => {
    expect(refusal(() => rule.subnetIds('subnet-0123abcd,subnet-nope', '--subnet-ids')).message).toContain(
      '--subnet-ids',
    );
  });
});

describe('ipv4Cidr', () => {
  it.each(['10.0.0.0/16', '172.31.0.0/16', '192.168.1.7/32'])('accepts %s', (cidr) => {
    expect(rule.ipv4Cidr(cidr, '--client-cidr')).toBe(cidr);
  });

  it.each(['10.0.0.0', '10.0.0/16', '256.0.0.0/16', '10.0.0.0/33', 'ten/8', '::/0'])(
    'refuses "%s" naming --client-cidr',
    (cidr) => {
      expect(refusal(() => rule.ipv4Cidr(cidr, '--client-cidr')).message).toContain('--client-cidr');
    },
  );

  it('refuses to open the proxy to the whole internet', () => {
    expect(refusal(() => rule.ipv4Cidr('0.0.0.0/0', '--client-cidr')).message).toMatch(/--client-cidr.*whole internet/);
  });
});

describe('number and integerInRange', () => {
  it('reads whole and decimal numbers', () => {
    expect(rule.number('2', '--max-acu')).toBe(2);
    expect(rule.number('0.5', '--min-acu')).toBe(0.5);
  });

  it.each(['', 'two', '-1', '1e3', '0x10', '1.'])('refuses "%s" as a number', (value) => {
    expect(refusal(() => rule.number(value, '--min-acu')).message).toContain('--min-acu');
  });

  it('accepts a whole number at either end of the range', () => {
    expect(rule.integerInRange('1', '--max-connections-percent', 1, 100)).toBe(1);
    expect(rule.integerInRange('100', '--max-connections-percent', 1, 100)).toBe(100);
  });

  it.each(['0', '101', '50.5'])('refuses %s outside 1 to 100 or not whole, saying the range', (value) => {
    const message = refusal(() => rule.integerInRange(value, '--max-connections-percent', 1, 100)).message;
    expect(message).toContain('--max-connections-percent');
    expect(message).toContain('1 to 100');
  });
});

describe('acuRange', () => {
  it('accepts half-ACU steps with min below max', () => {
    expect(rule.acuRange('0.5', '2')).toEqual({ min: 0.5, max: 2 });
    expect(rule.acuRange('0', '1')).toEqual({ min: 0, max: 1 });
    expect(rule.acuRange('256', '256')).toEqual({ min: 256, max: 256 });
  });

  it('refuses a capacity that is not a multiple of 0.5', () => {
    expect(refusal(() => rule.acuRange('0.25', '2')).message).toContain('--min-acu');
    expect(refusal(() => rule.acuRange('1', '2.3')).message).toContain('--max-acu');
  });

  it('refuses more than 256 ACUs', () => {
    expect(refusal(() => rule.acuRange('1', '257')).message).toContain('--max-acu');
  });

  it('refuses a maximum below 1 ACU', () => {
    expect(refusal(() => rule.acuRange('0', '0.5')).message).toMatch(/--max-acu.*at least 1/);
  });

  it('refuses a minimum above the maximum, naming both options', () => {
    const message = refusal(() => rule.acuRange('4', '2')).message;
    expect(message).toContain('--min-acu');
    expect(message).toContain('--max-acu');
  });

  it('refuses a capacity that is not a number', () => {
    expect(refusal(() => rule.acuRange('half', '2')).message).toContain('--min-acu');
  });
});

describe('databaseUser', () => {
  it.each(['postgres', 'app_admin', 'Alice1'])('accepts %s', (user) => {
    expect(rule.databaseUser(user, '--master-user')).toBe(user);
  });

  it.each(['1user', 'app-admin', 'a'.repeat(64), '', 'user', 'SELECT', 'rdsadmin', 'admin', 'rds_superuser', 'pg_monitor'])(
    'refuses "%s" naming --master-user',
    (user) => {
      expect(refusal(() => rule.databaseUser(user, '--master-user')).message).toContain('--master-user');
    },
  );
});

describe('masterUser', () => {
  it.each(['postgres', 'app_owner', 'a'.repeat(16)])('accepts %s', (user) => {
    expect(rule.masterUser(user, '--master-user')).toBe(user);
  });

  it('refuses 17 characters, saying the limit of CreateDBCluster', () => {
    expect(refusal(() => rule.masterUser('a'.repeat(17), '--master-user')).message).toContain(
      '--master-user "aaaaaaaaaaaaaaaaa" is not a valid master user name: 1-16',
    );
  });

  it.each(['admin', 'rdsadmin', 'rds_owner', 'pg_owner', 'select'])('refuses the reserved "%s" naming --master-user', (user) => {
    expect(refusal(() => rule.masterUser(user, '--master-user')).message).toContain('--master-user');
  });
});

describe('dbSubnetGroupName', () => {
  it.each(['shared-db-subnets', 'Shared DB.subnets_1', 'default'])('accepts the existing group %s', (name) => {
    expect(rule.dbSubnetGroupName(name, '--db-subnet-group')).toBe(name);
  });

  it.each(['9-subnets', '-subnets', 'subnets/prod', 'a'.repeat(256)])('refuses "%s" naming --db-subnet-group', (name) => {
    expect(refusal(() => rule.dbSubnetGroupName(name, '--db-subnet-group')).message).toContain('--db-subnet-group');
  });
});

describe('stackDerivedNames', () => {
  it('takes a stack whose every derived name passes AWS naming rules', () => {
    const names = stackNames('orders-dev', 'eu-west-1');

    expect(rule.stackDerivedNames(names)).toBe(names);
  });

  it('refuses a stack starting "sg-": EC2 refuses group names starting "sg-"', () => {
    const message = refusal(() => rule.stackDerivedNames(stackNames('sg-orders', 'eu-west-1'))).message;

    expect(message).toBe(
      '--name "sg-orders" would name the security group "sg-orders-proxy-sg", which AWS refuses: ' +
        'up to 255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*, not starting with "sg-".',
    );
  });

  it('refuses a stack whose role name, with the region in it, would pass 64 characters', () => {
    const message = refusal(() => rule.stackDerivedNames(stackNames('s'.repeat(40), 'ap-southeast-99'))).message;

    expect(message).toContain('would name the IAM role');
  });
});

describe('databaseName', () => {
  it.each(['app', 'orders_db', 'a'.repeat(63)])('accepts %s', (name) => {
    expect(rule.databaseName(name, '--db-name')).toBe(name);
  });

  it.each(['template0', 'template1', 'rdsadmin', 'table', 'my-db', '_app'])('refuses "%s" naming --db-name', (name) => {
    expect(refusal(() => rule.databaseName(name, '--db-name')).message).toContain('--db-name');
  });
});

describe('engineVersion', () => {
  it.each(['16.6', '15.10', '13.9'])('accepts %s', (version) => {
    expect(rule.engineVersion(version, '--engine-version')).toBe(version);
  });

  it.each(['16', '16.6.1', 'v16.6', '9.6', 'latest'])('refuses "%s" naming --engine-version', (version) => {
    expect(refusal(() => rule.engineVersion(version, '--engine-version')).message).toContain('--engine-version');
  });
});

describe('names of resources that doctor and connect look up', () => {
  it('takes any proxy name RDS allows, and refuses one it cannot have, naming the option', () => {
    expect(rule.proxyName('orders-proxy-1', '--proxy')).toBe('orders-proxy-1');
    expect(() => rule.proxyName('bad name!', '--proxy')).toThrow('--proxy "bad name!" is not a valid proxy name');
    expect(() => rule.proxyName('ends-', '--proxy')).toThrow(UsageError);
  });

  it('takes a function by name or by ARN, and refuses a name Lambda cannot have', () => {
    expect(rule.lambdaFunction('orders_api-2', '--lambda')).toBe('orders_api-2');
    expect(rule.lambdaFunction('arn:aws-cn:lambda:cn-north-1:123456789012:function:orders-api', '--lambda')).toContain('function:orders-api');
    expect(() => rule.lambdaFunction('bad name', '--lambda')).toThrow('--lambda "bad name" is not a valid function');
  });
});
