import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

/** A stand-in AWS endpoint that only counts requests: every case below must leave it at zero. */
let server: Server;
let requests = 0;
let env: Record<string, string>;

beforeAll(async () => {
  server = createServer((_req, res) => {
    requests += 1;
    res.statusCode = 500;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  env = {
    AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
  };
});
beforeEach(() => {
  requests = 0;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const CASES: { what: string; args: string[]; message: string }[] = [
  { what: 'a stack name with capitals', args: ['up', '--name', 'Orders'], message: '--name "Orders" is not a valid stack name' },
  { what: 'a stack name of 41 characters', args: ['up', '--name', `a${'b'.repeat(40)}`], message: 'is not a valid stack name: use 1-40' },
  { what: 'a stack name with a double hyphen', args: ['status', '--name', 'a--b'], message: '--name "a--b" is not a valid stack name' },
  { what: 'a CIDR with a prefix over 32', args: ['up', '--client-cidr', '10.0.0.0/33'], message: '--client-cidr "10.0.0.0/33" is not an IPv4 CIDR block' },
  { what: 'a CIDR open to the internet', args: ['up', '--client-cidr', '0.0.0.0/0'], message: '--client-cidr must not open the proxy to the whole internet' },
  { what: 'a malformed security group id', args: ['up', '--client-sg', 'sg-nothex'], message: '--client-sg "sg-nothex" is not a valid id' },
  { what: 'both a client SG and a client CIDR', args: ['up', '--client-sg', 'sg-0123abcd', '--client-cidr', '10.0.0.0/16'], message: '--client-sg and --client-cidr are alternatives' },
  { what: 'a single subnet', args: ['up', '--subnet-ids', 'subnet-0123abcd'], message: '--subnet-ids needs at least two subnet ids' },
  { what: 'a malformed subnet id', args: ['up', '--subnet-ids', 'subnet-0123abcd,subnet-xyz'], message: '--subnet-ids "subnet-xyz" is not a valid id' },
  { what: 'a malformed VPC id', args: ['up', '--vpc-id', 'vpc-12'], message: '--vpc-id "vpc-12" is not a valid id' },
  { what: 'an ACU off the 0.5 grid', args: ['up', '--min-acu', '0.7'], message: '--min-acu must be a multiple of 0.5 ACU' },
  { what: 'a minimum ACU above the maximum', args: ['up', '--min-acu', '4', '--max-acu', '2'], message: '--min-acu (4) must not exceed --max-acu (2)' },
  { what: 'a maximum ACU above the service limit', args: ['up', '--max-acu', '512'], message: '--max-acu must be from 0 to 256 ACUs' },
  { what: 'a maximum ACU below 1', args: ['up', '--min-acu', '0', '--max-acu', '0.5'], message: '--max-acu must be at least 1 ACU' },
  { what: 'a pool percentage over 100', args: ['up', '--max-connections-percent', '101'], message: '--max-connections-percent must be a whole number from 1 to 100' },
  { what: 'an idle percentage above the connection percentage', args: ['up', '--max-connections-percent', '40', '--max-idle-percent', '50'], message: '--max-idle-percent (50) must not exceed --max-connections-percent (40)' },
  { what: 'a negative borrow timeout', args: ['up', '--borrow-timeout', '-5'], message: '--borrow-timeout "-5" is not a number' },
  { what: 'an idle timeout over 8 hours', args: ['up', '--idle-timeout', '28801'], message: '--idle-timeout must be a whole number from 1 to 28800' },
  { what: 'a database name starting with a digit', args: ['up', '--db-name', '1orders'], message: '--db-name "1orders" is not a valid database name' },
  { what: 'a reserved database name', args: ['up', '--db-name', 'template1'], message: '--db-name "template1" is reserved' },
  { what: 'a user name that is an SQL reserved word', args: ['up', '--master-user', 'select'], message: '--master-user "select" is a reserved word in PostgreSQL' },
  { what: 'a user name with the rds_ prefix', args: ['up', '--master-user', 'rds_owner'], message: '--master-user "rds_owner" is reserved by RDS' },
  { what: 'a region that is not a region name', args: ['status', '--region', 'moon'], message: '--region "moon" is not an AWS region name' },
  { what: 'a borrow timeout above the 300 seconds AWS allows', args: ['up', '--borrow-timeout', '301'], message: '--borrow-timeout must be a whole number from 0 to 300 seconds' },
  { what: 'a stack name starting sg-, which EC2 refuses as the start of a security group name', args: ['up', '--name', 'sg-orders'], message: '--name "sg-orders" would name the security group "sg-orders-proxy-sg", which AWS refuses' },
  { what: 'an endpoint URL that is not a URL', args: ['status', '--endpoint-url', 'http://[bad'], message: '--endpoint-url "http://[bad" is not an http(s) URL' },
  { what: 'a proxy name that no proxy can have, for doctor', args: ['doctor', '--proxy', 'bad name!'], message: '--proxy "bad name!" is not a valid proxy name' },
  { what: 'a database user name that no user can have, for doctor', args: ['doctor', '--user', 'no such'], message: '--user "no such" is not a valid database user name' },
  { what: 'a function name that no function can have, for doctor', args: ['doctor', '--lambda', 'bad name'], message: '--lambda "bad name" is not a valid function' },
  { what: 'a master user name over the 16 characters AWS allows', args: ['up', '--master-user', 'a'.repeat(17)], message: 'is not a valid master user name: 1-16 letters' },
];

describe('invalid input', () => {
  for (const { what, args, message } of CASES) {
    it(`rejects ${what} with exit 2, a message naming the option, and no AWS call`, async () => {
      const result = await runCli(args, env);

      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
      expect(requests).toBe(0);
    });
  }

  it('rejects teardown with no terminal and no --yes with exit 2, saying why, before any AWS call', async () => {
    const result = await runCli(['teardown', '--name', 'orders'], env);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('there is no terminal to ask on');
    expect(result.stderr).toContain('Pass --yes');
    expect(requests).toBe(0);
  });
});
