import { DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useFaultProxy } from './support/fault-proxy.js';
import { useSandbox } from './support/sandbox.js';
import { stackReads } from './support/stack-reads.js';

/** Four different deletions AWS refuses; the secret's is never reached (the role still needs the secret). */
const REFUSED = ['DeleteRole', 'DeleteDBSubnetGroup', 'DeleteSecurityGroup', 'DeleteSecret'];

interface Left {
  step: string;
  id: string;
  reason: string;
  command: string;
}

describe('teardown with several deletions refused', () => {
  const sandbox = useSandbox();
  const reads = stackReads(sandbox);
  const proxy = useFaultProxy(sandbox);

  /** Builds the stack, then refuses the four deletions at the proxy; returns what will be left, read from the sandbox. */
  async function stackWithRefusals(stack: string) {
    expect((await runCli(['up', '--name', stack], sandbox.env)).code).toBe(0);
    const groupId = async (name: string) =>
      (await reads.ec2().send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [name] }] }))).SecurityGroups![0]!.GroupId!;
    const [clusterSg, proxySg] = [await groupId(`${stack}-cluster-sg`), await groupId(`${stack}-proxy-sg`)];
    for (const operation of REFUSED) proxy.inject({ operation, fault: { kind: 'refuse', code: 'InjectedFault', message: `${operation} refused` }, times: Infinity });
    const role = `rdsproxy-${stack}-us-east-1`;
    return [
      { step: 'role', id: role, reason: `deleting IAM role ${role}: DeleteRole refused`, command: `aws iam delete-role --role-name ${role}` },
      {
        step: 'cluster-sg',
        id: clusterSg,
        reason: `deleting security group ${stack}-cluster-sg (${clusterSg}): DeleteSecurityGroup refused`,
        command: `aws ec2 delete-security-group --group-id ${clusterSg} --region us-east-1`,
      },
      {
        step: 'subnet-group',
        id: `${stack}-subnets`,
        reason: `deleting DB subnet group ${stack}-subnets: DeleteDBSubnetGroup refused`,
        command: `aws rds delete-db-subnet-group --db-subnet-group-name ${stack}-subnets --region us-east-1`,
      },
      {
        step: 'secret',
        id: `rdsproxy-setup/${stack}/master`,
        reason: `still needed by IAM role ${role}, which was not deleted`,
        command: `aws secretsmanager delete-secret --secret-id rdsproxy-setup/${stack}/master`,
      },
      {
        step: 'proxy-sg',
        id: proxySg,
        reason: `still needed by cluster security group ${clusterSg}, which was not deleted`,
        command: `aws ec2 delete-security-group --group-id ${proxySg} --region us-east-1`,
      },
    ];
  }

  it('lists on stderr every resource left, each with its reason and the command that removes it', async () => {
    const left = await stackWithRefusals('leftover');

    const result = await runCli(['teardown', '--name', 'leftover', '--yes'], proxy.env);

    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('5 resources of stack leftover left:');
    for (const l of left) {
      const line = result.stderr.split('\n').find((s) => s.includes(`Left ${l.step} ${l.id} (`));
      expect(line, `${l.step} on stderr`).toBeDefined();
      expect(line).toContain(`(${l.reason}). Remove it with: `);
      expect(line).toContain(l.command);
    }
  });

  it('puts every resource left in --json as { step, id, reason, command }, and on stderr too', async () => {
    const left = await stackWithRefusals('leftjson');

    const result = await runCli(['teardown', '--name', 'leftjson', '--yes', '--json'], proxy.env);

    expect(result.code, result.stderr).toBe(1);
    const document = JSON.parse(result.stdout) as { left: Left[] };
    expect(document.left.map(({ step, id, reason }) => ({ step, id, reason }))).toEqual(
      expect.arrayContaining(left.map(({ step, id, reason }) => ({ step, id, reason }))),
    );
    expect(document.left).toHaveLength(left.length);
    for (const l of left) expect(document.left.find((d) => d.step === l.step)!.command).toContain(l.command);
    for (const l of left) expect(result.stderr).toContain(`Left ${l.step} ${l.id} (${l.reason})`);
  });
});
