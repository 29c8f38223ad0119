import { describe, expect, it } from 'vitest';
import { report, result } from '../support/check-results.js';
import { hopProblems, hopStatus, reportJson } from '../../../src/doctor/report.js';

const sample = report([
  result('sg.proxy-to-cluster', 'security-groups', 'fail', 'aws ec2 authorize-security-group-ingress --group-id sg-db'),
  result('iam.role-trust', 'iam-role', 'pass'),
  result('client.endpoint', 'client', 'skip', 'Pass --lambda <function>'),
  result('logs.recent-errors', 'debug-logs', 'warn', 'See client.tls above.'),
  result('proxy.status', 'beyond', 'pass'),
  result('proxy.targets', 'beyond', 'warn', 'Wait a few minutes.'),
  result('secret.shape', 'beyond', 'pass'),
]);

describe('the path of a connection in the report', () => {
  it('marks a hop with the worst status among its checks', () => {
    expect(hopStatus(sample.checks, 'database')).toBe('fail');
    expect(hopStatus(sample.checks, 'secrets')).toBe('pass');
  });

  it('marks a hop none of whose checks ran as skipped', () => {
    expect(hopStatus([result('iam.role-trust', 'iam-role', 'pass')], 'client')).toBe('skip');
  });

  it('names the checks of a hop that fail or warn, and only those', () => {
    expect(hopProblems(sample.checks, 'database').map((r) => r.id)).toEqual(['sg.proxy-to-cluster', 'proxy.targets']);
    expect(hopProblems(sample.checks, 'client')).toEqual([]);
  });
});

describe('doctor --json', () => {
  it('gives the shape of DESIGN.md: target, checks with id/title/status/evidence/fix, summary', () => {
    const json = reportJson(sample) as { target: unknown; checks: Record<string, unknown>[]; summary: unknown };
    expect(json.target).toEqual({ proxy: 'orders-proxy', region: 'us-east-1', cluster: 'orders-db' });
    expect(json.checks[0]).toEqual({
      id: 'sg.proxy-to-cluster',
      title: 'title of sg.proxy-to-cluster',
      group: 'security-groups',
      status: 'fail',
      evidence: 'evidence of sg.proxy-to-cluster',
      fix: 'aws ec2 authorize-security-group-ingress --group-id sg-db',
    });
    expect(json.checks[1]).not.toHaveProperty('fix');
    expect(json.summary).toEqual({ pass: 3, warn: 2, fail: 1, skip: 1 });
  });
});
