import { RDSClient, DescribeDBProxiesCommand } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { useSandbox } from './support/sandbox.js';

interface JsonReport {
  target: { proxy: string; cluster?: string };
  checks: { id: string; status: string }[];
}

describe('doctor on a stack made by up', () => {
  const sandbox = useSandbox();

  it('finds no failure, and the stack\'s master user is a user the proxy holds', async () => {
    const up = await runCli(['up', '--name', 'made-by-up', '--yes'], sandbox.env);
    expect(up.code, up.stderr).toBe(0);
    const proxies = await new RDSClient(sandbox.clientConfig).send(new DescribeDBProxiesCommand({}));
    expect(proxies.DBProxies?.map((p) => p.DBProxyName)).toEqual(['made-by-up-proxy']);

    const result = await runCli(['doctor', '--name', 'made-by-up', '--user', 'postgres', '--json'], sandbox.env);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.target).toMatchObject({ proxy: 'made-by-up-proxy', cluster: 'made-by-up-cluster' });
    expect(report.checks.find((c) => c.id === 'client.user-matches')?.status).toBe('pass');
    expect(result.code).toBe(0);
  });
});
