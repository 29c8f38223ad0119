import { CreateSecurityGroupCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useFaultProxy } from './support/fault-proxy.js';
import { useSandbox, type Sandbox } from './support/sandbox.js';
import { stackReads } from './support/stack-reads.js';
import { rdsFixtures } from './sandbox/rds-fixtures.js';

/** One resource someone else made under a name the stack derives, without the stack's tag. */
interface ForeignCase {
  step: string;
  /** The name `up` would give the step's resource in stack "taken". */
  name: string;
  make(sandbox: Sandbox): Promise<void>;
}

async function defaultVpcId(sandbox: Sandbox): Promise<string> {
  const { Vpcs } = await stackReads(sandbox).ec2().send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
  return Vpcs![0]!.VpcId!;
}

const securityGroupNamed = (name: string) => async (sandbox: Sandbox) => {
  await stackReads(sandbox).ec2().send(new CreateSecurityGroupCommand({ GroupName: name, Description: 'not ours', VpcId: await defaultVpcId(sandbox) }));
};

/** Every step whose resource carries a name of its own (network, secret host, pool and target have none to take). */
const CASES: ForeignCase[] = [
  { step: 'subnet-group', name: 'taken-subnets', make: async (s) => void (await rdsFixtures(s).createSubnetGroup('taken-subnets')) },
  { step: 'proxy-sg', name: 'taken-proxy-sg', make: securityGroupNamed('taken-proxy-sg') },
  { step: 'cluster-sg', name: 'taken-cluster-sg', make: securityGroupNamed('taken-cluster-sg') },
  {
    step: 'secret',
    name: 'rdsproxy-setup/taken/master',
    make: async (s) => void (await stackReads(s).secrets().send(new CreateSecretCommand({ Name: 'rdsproxy-setup/taken/master', SecretString: '{}' }))),
  },
  { step: 'cluster', name: 'taken-cluster', make: async (s) => void (await rdsFixtures(s).createCluster('taken-cluster')) },
  {
    step: 'instance',
    name: 'taken-writer',
    // The writer's name, in a cluster of someone else's: `up` has no cluster of its own yet.
    make: async (s) => {
      await rdsFixtures(s).createCluster('their-cluster');
      await rdsFixtures(s).createInstance('taken-writer', 'their-cluster');
    },
  },
  {
    step: 'role',
    name: 'rdsproxy-taken-us-east-1',
    make: async (s) =>
      void (await new IAMClient(s.clientConfig).send(
        new CreateRoleCommand({ RoleName: 'rdsproxy-taken-us-east-1', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'rds.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }),
      )),
  },
  { step: 'proxy', name: 'taken-proxy', make: async (s) => void (await rdsFixtures(s).createProxy('taken-proxy')) },
];

describe('up on a stack whose name someone else has taken', () => {
  const sandbox = useSandbox();
  const proxy = useFaultProxy(sandbox);

  it.each(CASES)('stops before any write, naming the $step resource $name that is not the stack\'s', async ({ name, make }) => {
    await make(sandbox);

    const result = await runCli(['up', '--name', 'taken'], proxy.env);

    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(`${name}`);
    expect(result.stderr).toContain('is not tagged rdsproxy-setup:stack=taken');
    expect(proxy.calls().length).toBeGreaterThan(0);
    expect(proxy.writes()).toEqual([]);
  });
});
