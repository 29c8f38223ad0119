import { DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { buildForeignProxy, type ForeignProxyOptions } from './support/foreign-proxy.js';
import { useSandbox } from './support/sandbox.js';

interface JsonReport {
  target: { proxy: string; cluster?: string };
  checks: { id: string; status: string; evidence: string; fix?: string }[];
  summary: { pass: number; warn: number; fail: number; skip: number };
}

describe('doctor --proxy on proxies another tool made (no tags, their own names)', () => {
  const sandbox = useSandbox();

  async function doctor(options: ForeignProxyOptions, extra: string[] = []) {
    const proxy = await buildForeignProxy(sandbox, options);
    const result = await runCli(['doctor', '--proxy', proxy.proxyName, '--json', ...extra], sandbox.env);
    const report = JSON.parse(result.stdout) as JsonReport;
    const ids = (status: string) => report.checks.filter((c) => c.status === status).map((c) => c.id);
    return { proxy, result, report, failed: ids('fail'), warned: ids('warn'), check: (id: string) => report.checks.find((c) => c.id === id)! };
  }

  it('finds no failure on a healthy proxy with separate proxy and cluster security groups', async () => {
    const { result, report, failed } = await doctor({ name: 'tf-healthy' });
    expect(failed).toEqual([]);
    expect(result.code).toBe(0);
    expect(report.target.cluster).toBe('tf-healthy-db');
    expect(report.checks).toHaveLength(23);
  });

  it('finds no failure when proxy and cluster share one security group with a self-referencing rule', async () => {
    const { result, failed, check } = await doctor({ name: 'cdk-shared', sharedSecurityGroup: true });
    expect(failed).toEqual([]);
    expect(result.code).toBe(0);
    expect(check('sg.proxy-to-cluster').evidence).toContain('a self-referencing rule counts');
  });

  it('finds no failure on a secret encrypted with a customer managed key the role may use', async () => {
    const { failed, check } = await doctor({ name: 'kms-ok', customerKey: true });
    expect(failed).toEqual([]);
    expect(check('iam.role-kms').evidence).toContain('uses customer key');
  });

  it('fails only sg.proxy-to-cluster when the cluster SG does not admit the proxy', async () => {
    const { proxy, result, failed, check } = await doctor({ name: 'no-ingress', clusterAdmitsProxy: false });
    expect(failed).toEqual(['sg.proxy-to-cluster']);
    expect(result.code).toBe(1);
    expect(check('sg.proxy-to-cluster').fix).toBe(
      `aws ec2 authorize-security-group-ingress --group-id ${proxy.clusterSecurityGroupId} --protocol tcp --port 5432 --source-group ${proxy.proxySecurityGroupId}`,
    );
  });

  it('fails only iam.role-trust when the role trusts another service', async () => {
    const { failed } = await doctor({ name: 'bad-trust', trustedService: 'lambda.amazonaws.com' });
    expect(failed).toEqual(['iam.role-trust']);
  });

  it('fails only iam.role-reads-secret when the role may not read the secret, saying how it judged', async () => {
    const { failed, check } = await doctor({ name: 'no-read', roleReadsSecret: false });
    expect(failed).toEqual(['iam.role-reads-secret']);
    expect(check('iam.role-reads-secret').evidence).toContain('[simulated by IAM (SimulatePrincipalPolicy)]');
    expect(check('iam.role-reads-secret').evidence).not.toContain('evaluated locally');
  });

  it('fails only client.tls when the proxy does not require TLS', async () => {
    const { failed } = await doctor({ name: 'no-tls', requireTls: false });
    expect(failed).toEqual(['client.tls']);
  });

  it('fails only proxy.auth when IAM authentication is disabled', async () => {
    const { failed, check } = await doctor({ name: 'no-iam', iamAuth: 'DISABLED' });
    expect(failed).toEqual(['proxy.auth']);
    expect(check('proxy.auth').fix).toContain('"IAMAuth":"REQUIRED"');
  });

  it('fails only secret.shape when the secret has no password key', async () => {
    const { failed, check } = await doctor({ name: 'no-password', secretValue: { username: 'app_owner' } });
    expect(failed).toEqual(['secret.shape']);
    expect(check('secret.shape').evidence).toContain('lacks password');
  });

  it('fails only secret.shape when the secret is scheduled for deletion', async () => {
    const { proxy, failed, check } = await doctor({ name: 'deleted-secret', scheduleSecretDeletion: true });
    expect(failed).toEqual(['secret.shape']);
    expect(check('secret.shape').fix).toBe(`aws secretsmanager restore-secret --secret-id ${proxy.secretArn}`);
  });

  it('fails cluster.supported behind an Aurora Serverless v1 cluster, and proxy.targets, which finds no instance to use', async () => {
    const { failed, check } = await doctor({ name: 'serverless-v1', engineMode: 'serverless' });
    expect(failed).toEqual(['proxy.targets', 'cluster.supported']);
    expect(check('cluster.supported').evidence).toContain('Aurora Serverless v1');
    // A Serverless v1 cluster has no instances, so its target shows only the TRACKED_CLUSTER row.
    expect(check('proxy.targets').evidence).toContain('no RDS_INSTANCE rows are reported');
  });

  it('warns on proxy.subnets, and fails nothing, when the proxy subnets are in one Availability Zone', async () => {
    const { failed, warned, result } = await doctor({ name: 'one-az', singleAz: true });
    expect(failed).toEqual([]);
    expect(warned).toEqual(['proxy.subnets']);
    expect(result.code).toBe(0);
  });

  it('fails only client.user-matches when --user is not the secret\'s user', async () => {
    const { failed, check } = await doctor({ name: 'other-user' }, ['--user', 'reporting']);
    expect(failed).toEqual(['client.user-matches']);
    expect(check('client.user-matches').evidence).toContain('"app_owner"');
  });

  it('skips user.rds-iam on a cluster whose Data API is off, with the command that turns it on, and never turns it on itself', async () => {
    const { check, result } = await doctor({ name: 'no-data-api' }, ['--user', 'app_owner']);

    const rdsIam = check('user.rds-iam');
    expect(rdsIam.status).toBe('skip');
    expect(rdsIam.evidence).toContain('the Data API (HTTP endpoint) of cluster no-data-api-db is off');
    expect(rdsIam.evidence).toMatch(/aws rds enable-http-endpoint --resource-arn arn:aws:rds:us-east-1:\d{12}:cluster:no-data-api-db/);
    expect(result.code).toBe(0);
    const { DBClusters } = await new RDSClient(sandbox.clientConfig).send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'no-data-api-db' }));
    expect(DBClusters![0]!.HttpEndpointEnabled).toBe(false);
  });

  it('prints the human report on stdout and exits 1 when a check fails', async () => {
    const proxy = await buildForeignProxy(sandbox, { name: 'human', requireTls: false });
    const result = await runCli(['doctor', '--proxy', proxy.proxyName], sandbox.env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Security groups\n');
    expect(result.stdout).toContain(`✖ client.tls`);
    expect(result.stdout).toContain(`fix: aws rds modify-db-proxy --db-proxy-name ${proxy.proxyName} --require-tls`);
    expect(result.stdout).toMatch(/✖ \d+ passed, \d+ warnings?, 1 failed, \d+ skipped/);
    expect(result.stdout).toContain('──▶ Secrets Manager');
    expect(result.stderr).not.toContain('Error:');
  });

  it('diagnoses the stack\'s proxy with --name, failing proxy.status when there is none', async () => {
    const result = await runCli(['doctor', '--name', 'nothing-here', '--json'], sandbox.env);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(result.code).toBe(1);
    expect(report.target.proxy).toBe('nothing-here-proxy');
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['proxy.status']);
  });

  it('rejects an invalid --client-sg with exit 2 before any AWS call', async () => {
    const result = await runCli(['doctor', '--proxy', 'p', '--client-sg', 'default', '--verbose'], sandbox.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--client-sg "default" is not a valid id');
    expect(result.stderr).not.toContain(' aws ');
  });
});
