import { AttachRolePolicyCommand, CreatePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { buildClientFunction, buildForeignProxy } from './support/foreign-proxy.js';
import { useSandbox } from './support/sandbox.js';

interface JsonReport {
  checks: { id: string; status: string; evidence: string }[];
}

const SIMULATED = 'simulated by IAM (SimulatePrincipalPolicy)';

/** A Deny of secretsmanager:GetSecretValue on one secret, as someone might add to a role. */
const denySecret = (secretArn: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'secretsmanager:GetSecretValue', Resource: secretArn }] });

describe('doctor judges IAM permissions with IAM\'s policy simulator', () => {
  const sandbox = useSandbox();
  const iam = () => new IAMClient(sandbox.clientConfig);

  async function doctor(args: string[]) {
    const result = await runCli(['doctor', ...args, '--json'], sandbox.env);
    const report = JSON.parse(result.stdout) as JsonReport;
    const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
    return { result, failed, check: (id: string) => report.checks.find((c) => c.id === id)! };
  }

  async function upStack(name: string) {
    const up = await runCli(['up', '--name', name, '--yes'], sandbox.env);
    expect(up.code, up.stderr).toBe(0);
    const secret = await new SecretsManagerClient(sandbox.clientConfig).send(new DescribeSecretCommand({ SecretId: `rdsproxy-setup/${name}/master` }));
    return { role: `rdsproxy-${name}-${sandbox.clientConfig.region}`, secretArn: secret.ARN! };
  }

  it('on a stack made by up, says the role may read the secret as the simulator decided, by the stack\'s policy', async () => {
    const stack = await upStack('sim-ok');

    const { failed, check } = await doctor(['--name', 'sim-ok']);

    expect(failed).toEqual([]);
    expect(check('iam.role-reads-secret').evidence).toContain(
      `Role ${stack.role} may call secretsmanager:GetSecretValue on ${stack.secretArn} [${SIMULATED}; decided by read-master-secret]`,
    );
  });

  it('on a stack made by up, fails only iam.role-reads-secret when a Deny is planted in the role, naming that policy', async () => {
    const stack = await upStack('sim-deny');
    await iam().send(new PutRolePolicyCommand({ RoleName: stack.role, PolicyName: 'planted-deny', PolicyDocument: denySecret(stack.secretArn) }));

    const { result, failed, check } = await doctor(['--name', 'sim-deny']);

    expect(failed).toEqual(['iam.role-reads-secret']);
    expect(result.code).toBe(1);
    expect(check('iam.role-reads-secret').evidence).toContain(
      `Role ${stack.role} may not call secretsmanager:GetSecretValue on ${stack.secretArn} [${SIMULATED}; decided by planted-deny]`,
    );
  });

  it('on a foreign proxy with a customer managed key, simulates both the secret read and kms:Decrypt via Secrets Manager', async () => {
    const proxy = await buildForeignProxy(sandbox, { name: 'sim-kms', customerKey: true });

    const { failed, check } = await doctor(['--proxy', proxy.proxyName]);

    expect(failed).toEqual([]);
    expect(check('iam.role-reads-secret').evidence).toContain(`[${SIMULATED}; decided by secret-access]`);
    expect(check('iam.role-kms').evidence).toContain(`via secretsmanager.${sandbox.clientConfig.region}.amazonaws.com [${SIMULATED}; decided by secret-access]`);
  });

  it('on a foreign proxy, fails only iam.role-reads-secret when an attached managed policy denies the read', async () => {
    const proxy = await buildForeignProxy(sandbox, { name: 'sim-managed' });
    const policy = await iam().send(new CreatePolicyCommand({ PolicyName: 'no-db-secrets', PolicyDocument: denySecret(proxy.secretArn) }));
    await iam().send(new AttachRolePolicyCommand({ RoleName: 'sim-managed-proxy-role', PolicyArn: policy.Policy!.Arn! }));

    const { failed, check } = await doctor(['--proxy', proxy.proxyName]);

    expect(failed).toEqual(['iam.role-reads-secret']);
    expect(check('iam.role-reads-secret').evidence).toContain(`may not call secretsmanager:GetSecretValue on ${proxy.secretArn} [${SIMULATED}; decided by no-db-secrets]`);
  });

  it('on a foreign proxy\'s client function, simulates rds-db:connect and the network-interface actions of its role', async () => {
    const proxy = await buildForeignProxy(sandbox, { name: 'sim-fn' });
    const fn = await buildClientFunction(sandbox, proxy, { name: 'sim-api' });

    const { failed, check } = await doctor(['--proxy', proxy.proxyName, '--lambda', fn]);

    expect(failed).toEqual([]);
    expect(check('client.connect-permission').evidence).toContain(`[${SIMULATED}; decided by function]`);
    expect(check('client.same-vpc').evidence).toContain(`has the network-interface permissions [${SIMULATED}]`);
  });
});
