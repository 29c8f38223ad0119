import { describe, expect, it } from 'vitest';
import { absent, got, missing } from '../../../src/doctor/read.js';
import type { LambdaSnapshot, SecretSnapshot } from '../../../src/doctor/snapshot.js';
import type { Subnet } from '@aws-sdk/client-ec2';
import {
  ACCOUNT,
  check,
  checkAll,
  CLUSTER_ENDPOINT,
  functionRole,
  healthySnapshot,
  PROXY_ENDPOINT,
  PROXY_ID,
  PROXY_NAME,
  SECRET_ARN,
  value,
} from './healthy-snapshot.js';

function withLambda(change: (l: LambdaSnapshot) => void) {
  const snapshot = healthySnapshot();
  change(value<LambdaSnapshot>(snapshot.lambda!));
  return snapshot;
}

describe('client.tls', () => {
  it('fails a proxy with RequireTLS off, with the command that turns it on', async () => {
    const snapshot = healthySnapshot();
    value<{ RequireTLS: boolean }>(snapshot.proxy).RequireTLS = false;
    const result = await check('client.tls', snapshot, {});
    expect(result.status).toBe('fail');
    expect(result.fix).toBe(`aws rds modify-db-proxy --db-proxy-name ${PROXY_NAME} --require-tls`);
  });

  it('fails a function whose PGSSLMODE turns SSL off, naming the variable', async () => {
    const result = await check('client.tls', withLambda((l) => (l.environment.PGSSLMODE = 'disable')));
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('PGSSLMODE turns SSL off');
  });

  it('fails a connection URL with sslmode=disable without printing the URL', async () => {
    const url = `postgres://app_owner:hunter2@${PROXY_ENDPOINT}:5432/orders?sslmode=disable`;
    const snapshot = withLambda((l) => {
      delete l.environment.PGHOST;
      l.environment.DATABASE_URL = url;
    });
    const result = await check('client.tls', snapshot);
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('DATABASE_URL');
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });
});

describe('client.endpoint', () => {
  it('fails a function that points at the cluster endpoint', async () => {
    const result = await check('client.endpoint', withLambda((l) => (l.environment.PGHOST = CLUSTER_ENDPOINT)));
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain(`PGHOST is ${CLUSTER_ENDPOINT}: a database endpoint, not the proxy`);
    expect(result.fix).toContain(PROXY_ENDPOINT);
  });

  it('fails the proxy host on another port', async () => {
    const result = await check('client.endpoint', withLambda((l) => (l.environment.PGPORT = '6432')));
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('PGPORT is 6432');
  });

  it('reads the host from a connection URL', async () => {
    const snapshot = withLambda((l) => {
      delete l.environment.PGHOST;
      l.environment.DATABASE_URL = `postgresql://app_owner@${PROXY_ENDPOINT}:5432/orders`;
    });
    const result = await check('client.endpoint', snapshot);
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('DATABASE_URL is the proxy endpoint');
  });

  it('is skipped when the environment names no host, saying where it looked', async () => {
    const result = await check('client.endpoint', withLambda((l) => delete l.environment.PGHOST));
    expect(result.status).toBe('skip');
    expect(result.evidence).toContain('looked for PGHOST');
  });
});

describe('client.connect-permission', () => {
  it('passes a role that may connect as any user of the proxy\'s prx- id', async () => {
    const result = await check('client.connect-permission', healthySnapshot());
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain(`dbuser:${PROXY_ID}/app_owner`);
  });

  it('fails a role that grants rds-db:connect on the proxy\'s name, and says so', async () => {
    const byName = `arn:aws:rds-db:us-east-1:${ACCOUNT}:dbuser:${PROXY_NAME}/*`;
    const snapshot = withLambda((l) => (l.role = got(functionRole([{ Effect: 'Allow', Action: 'rds-db:connect', Resource: byName }]))));
    const result = await check('client.connect-permission', snapshot);
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain(`It grants rds-db:connect on ${byName}: that is the proxy's name; the resource must use its id ${PROXY_ID}.`);
    expect(result.fix).toContain(`"Resource":"arn:aws:rds-db:us-east-1:${ACCOUNT}:dbuser:${PROXY_ID}/app_owner"`);
  });

  it('fails a role without rds-db:connect', async () => {
    const snapshot = withLambda((l) => (l.role = got(functionRole([]))));
    const result = await check('client.connect-permission', snapshot);
    expect(result.status).toBe('fail');
    expect(result.fix).toContain('aws iam put-role-policy --role-name orders-api-role');
  });

  it('checks the user given with --user over the function\'s', async () => {
    const snapshot = withLambda((l) => (l.role = got(functionRole([{ Effect: 'Allow', Action: 'rds-db:connect', Resource: `arn:aws:rds-db:us-east-1:${ACCOUNT}:dbuser:${PROXY_ID}/reporting` }]))));
    const result = await check('client.connect-permission', snapshot, { lambda: 'orders-api', user: 'reporting' });
    expect(result.status).toBe('pass');
  });
});

describe('client.same-vpc', () => {
  it('fails a function of --lambda that does not exist, saying what was looked for and where; the other client checks skip, pointing to it', async () => {
    const snapshot = healthySnapshot();
    snapshot.lambda = absent('reading Lambda function orders-api: Function not found (ResourceNotFoundException)', 'ResourceNotFoundException');

    const results = await checkAll(snapshot);

    const sameVpc = results.get('client.same-vpc')!;
    expect(sameVpc.status).toBe('fail');
    expect(sameVpc.evidence).toBe(
      'Lambda function orders-api does not exist in us-east-1: reading Lambda function orders-api: Function not found (ResourceNotFoundException).',
    );
    expect(sameVpc.fix).toContain('aws lambda list-functions --region us-east-1');
    for (const id of ['client.endpoint', 'client.connect-permission', 'sg.client-to-proxy'] as const) {
      expect(results.get(id), id).toMatchObject({ status: 'skip', evidence: 'the client function does not exist (see client.same-vpc)' });
    }
    expect([...results.values()].filter((r) => r.status === 'fail').map((r) => r.id)).toEqual(['client.same-vpc']);
  });

  it('skips, not fails, when the function of --lambda could not be read for another reason', async () => {
    const snapshot = healthySnapshot();
    snapshot.lambda = missing('reading Lambda function orders-api: Rate exceeded (TooManyRequestsException)', 'TooManyRequestsException');

    const result = await check('client.same-vpc', snapshot);

    expect(result.status).toBe('skip');
    expect(result.evidence).toContain('Rate exceeded');
  });

  it('fails a function whose subnets are in another VPC, judged by the subnets', async () => {
    const snapshot = healthySnapshot();
    value<LambdaSnapshot>(snapshot.lambda!).subnetIds = ['subnet-x'];
    value<Map<string, Subnet>>(snapshot.subnets).set('subnet-x', { SubnetId: 'subnet-x', VpcId: 'vpc-other', AvailabilityZone: 'us-east-1a' });
    const result = await check('client.same-vpc', snapshot);
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('subnet-x of vpc-other; the proxy is in vpc-1');
    expect(result.fix).toContain('aws lambda update-function-configuration --function-name orders-api --vpc-config SubnetIds=subnet-a,subnet-b');
  });

  it('fails a function not attached to any VPC', async () => {
    const result = await check('client.same-vpc', withLambda((l) => (l.subnetIds = [])));
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('not attached to a VPC');
  });

  it('fails a role without the network-interface permissions', async () => {
    const snapshot = withLambda((l) => (l.role = got(functionRole([{ Effect: 'Allow', Action: 'rds-db:connect', Resource: '*' }]))));
    const result = await check('client.same-vpc', snapshot);
    expect(result.status).toBe('fail');
    expect(result.fix).toBe('aws iam attach-role-policy --role-name orders-api-role --policy-arn arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole');
  });

  it('names the managed policy in the role\'s own partition', async () => {
    const chinaRole = { ...functionRole([{ Effect: 'Allow', Action: 'rds-db:connect', Resource: '*' }]), arn: 'arn:aws-cn:iam::123456789012:role/orders-api-role' };
    const result = await check('client.same-vpc', withLambda((l) => (l.role = got(chinaRole))));
    expect(result.fix).toBe('aws iam attach-role-policy --role-name orders-api-role --policy-arn arn:aws-cn:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole');
  });

  it('is skipped with the error when the function could not be read', async () => {
    const snapshot = healthySnapshot();
    snapshot.lambda = missing('reading Lambda function orders-api: Function not found (ResourceNotFoundException)', 'ResourceNotFoundException');
    const result = await check('client.same-vpc', snapshot);
    expect(result.status).toBe('skip');
    expect(result.evidence).toContain('ResourceNotFoundException');
  });
});

describe('client.user-matches', () => {
  it('fails a user the proxy holds no secret for', async () => {
    const result = await check('client.user-matches', healthySnapshot(), { user: 'reporting' });
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('--user is "reporting", but the proxy holds credentials only for "app_owner"');
    expect(result.fix).toContain('PGUSER=app_owner');
  });

  it('fails a user that differs from the secret\'s only in case', async () => {
    const result = await check('client.user-matches', withLambda((l) => (l.environment.PGUSER = 'App_Owner')));
    expect(result.status).toBe('fail');
    expect(result.evidence).toContain('case-sensitive');
  });

  it('is skipped when no secret value could be read', async () => {
    const snapshot = healthySnapshot();
    value<SecretSnapshot>(snapshot.secrets.get(SECRET_ARN)!).value = missing('reading the value: not authorized (AccessDeniedException)', 'AccessDeniedException');
    const result = await check('client.user-matches', snapshot);
    expect(result.status).toBe('skip');
    expect(result.evidence).toContain('AccessDeniedException');
  });
});
