import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { buildClientFunction, buildForeignProxy, type ClientFunctionOptions } from './support/foreign-proxy.js';
import { useSandbox } from './support/sandbox.js';

interface JsonReport {
  checks: { id: string; status: string; evidence: string; fix?: string }[];
}

describe('doctor --lambda on a client function of a proxy another tool made', () => {
  const sandbox = useSandbox();

  async function doctor(options: Omit<ClientFunctionOptions, 'name'>) {
    const proxy = await buildForeignProxy(sandbox, { name: 'app' });
    const fn = await buildClientFunction(sandbox, proxy, { name: 'api', ...options });
    const result = await runCli(['doctor', '--proxy', proxy.proxyName, '--lambda', fn, '--json'], sandbox.env);
    const report = JSON.parse(result.stdout) as JsonReport;
    const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
    return { proxy, result, failed, check: (id: string) => report.checks.find((c) => c.id === id)! };
  }

  it('passes every client check for a function set up as the tutorial says', async () => {
    const { result, failed, check } = await doctor({});
    expect(failed).toEqual([]);
    expect(result.code).toBe(0);
    for (const id of ['sg.client-to-proxy', 'client.tls', 'client.endpoint', 'client.connect-permission', 'client.same-vpc', 'client.user-matches']) {
      expect(check(id).status, id).toBe('pass');
    }
  });

  it('fails only client.same-vpc for a function attached to another VPC, judged by its subnets', async () => {
    const { proxy, failed, check } = await doctor({ vpc: 'other' });
    expect(failed).toEqual(['client.same-vpc']);
    expect(check('client.same-vpc').evidence).toContain(`the proxy is in ${proxy.vpcId}`);
    expect(check('sg.client-to-proxy').status).toBe('skip');
  });

  it('fails only client.connect-permission for a role without rds-db:connect', async () => {
    const { failed } = await doctor({ connectResource: 'none' });
    expect(failed).toEqual(['client.connect-permission']);
  });

  it('fails only client.connect-permission for a role that grants it on the proxy name, and says so', async () => {
    const { proxy, failed, check } = await doctor({ connectResource: 'proxy-name' });
    expect(failed).toEqual(['client.connect-permission']);
    expect(check('client.connect-permission').evidence).toContain(`that is the proxy's name; the resource must use its id ${proxy.resourceId}`);
    expect(check('client.connect-permission').fix).toContain(`dbuser:${proxy.resourceId}/${proxy.user}`);
  });

  it('fails only client.endpoint for a function whose environment points at the cluster endpoint', async () => {
    const { proxy, failed, check } = await doctor({ host: 'cluster' });
    expect(failed).toEqual(['client.endpoint']);
    expect(check('client.endpoint').evidence).toContain(`PGHOST is ${proxy.clusterEndpoint}: a database endpoint, not the proxy`);
  });

  it('fails only client.user-matches for a function whose user is not the secret\'s', async () => {
    const { failed, check } = await doctor({ user: 'reporting' });
    expect(failed).toEqual(['client.user-matches']);
    expect(check('client.user-matches').evidence).toContain('PGUSER is "reporting"');
  });
});
