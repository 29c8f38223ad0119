import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { buildForeignProxy, type ForeignProxy } from './support/foreign-proxy.js';
import { useSandbox } from './support/sandbox.js';

interface JsonReport {
  checks: { id: string; status: string; evidence: string; fix?: string }[];
}

/** A client option naming something that does not exist, the check that fails on it, and how the picture names the client. */
const CASES = [
  {
    option: '--lambda',
    value: 'nosuchfn',
    check: 'client.same-vpc',
    evidence: 'Lambda function nosuchfn does not exist in us-east-1',
    client: 'Lambda nosuchfn',
  },
  {
    option: '--client-sg',
    value: 'sg-12345678',
    check: 'sg.client-to-proxy',
    evidence: '--client-sg: security group sg-12345678 was not found in us-east-1',
    client: 'client',
  },
];

describe('doctor with a client that does not exist', () => {
  const sandbox = useSandbox({ resetEachTest: false });
  let proxy: ForeignProxy;

  beforeAll(async () => {
    proxy = await buildForeignProxy(sandbox, { name: 'app' });
  });

  it.each(CASES)('fails $check for $option $value, saying what was looked for and where, and exits 1', async ({ option, value, check, evidence }) => {
    const result = await runCli(['doctor', '--proxy', proxy.proxyName, option, value, '--json'], sandbox.env);

    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual([check]);
    expect(report.checks.find((c) => c.id === check)!.evidence).toContain(evidence);
  });

  it.each(CASES)('marks the client hop ✖ in the picture for $option $value', async ({ option, value, check, client }) => {
    const result = await runCli(['doctor', '--proxy', proxy.proxyName, option, value], sandbox.env);

    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain(`  ${client} ──✖──▶ `);
    expect(result.stdout).toContain(`  ✖ client: ${check}`);
  });
});
