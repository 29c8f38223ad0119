import { describe, expect, it } from 'vitest';
import { report, result } from '../support/check-results.js';
import { renderChecks, renderPath, renderReport } from '../../../src/ui/doctor-report.js';

const sample = report([
  result('sg.proxy-to-cluster', 'security-groups', 'fail', 'aws ec2 authorize-security-group-ingress --group-id sg-db'),
  result('iam.role-trust', 'iam-role', 'pass'),
  result('client.endpoint', 'client', 'skip', 'Pass --lambda <function>'),
  result('logs.recent-errors', 'debug-logs', 'warn', 'See client.tls above.'),
  result('proxy.status', 'beyond', 'pass'),
  result('secret.shape', 'beyond', 'pass'),
]);

describe('the doctor report', () => {
  it('groups the checks under the tutorial\'s four headings, then Beyond', () => {
    const text = renderReport(sample);
    const headings = ['Security groups', 'IAM role of the proxy', 'Client code and permissions', 'Debug logs', 'Beyond'];
    const positions = headings.map((h) => text.indexOf(`\n${h}\n`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('marks each check, with its evidence under it and the fix under that', () => {
    const text = renderReport(sample);
    expect(text).toContain(
      '  ✖ sg.proxy-to-cluster  title of sg.proxy-to-cluster\n      evidence of sg.proxy-to-cluster\n      fix: aws ec2 authorize-security-group-ingress --group-id sg-db',
    );
    expect(text).toContain('  ✔ iam.role-trust  title of iam.role-trust\n      evidence of iam.role-trust\n');
    expect(text).toContain('  – client.endpoint');
    expect(text).toContain('  ! logs.recent-errors');
  });

  it('ends with a one-line summary and the path, each hop marked (– when its checks did not run)', () => {
    const text = renderReport(sample);
    expect(text).toContain('✖ 3 passed, 1 warning, 1 failed, 1 skipped');
    expect(renderPath(sample)).toBe(
      [
        '  client ──–──▶ ✔ proxy orders-proxy ──✖──▶ cluster orders-db',
        '                └──✔──▶ Secrets Manager',
        '  ✖ database: sg.proxy-to-cluster',
      ].join('\n'),
    );
  });

  it('shows a list of checks one after the other, each with its mark, evidence and fix (as up does)', () => {
    const text = renderChecks([sample.checks[0]!, sample.checks[4]!]);
    expect(text).toBe(
      [
        '  ✖ sg.proxy-to-cluster  title of sg.proxy-to-cluster',
        '      evidence of sg.proxy-to-cluster',
        '      fix: aws ec2 authorize-security-group-ingress --group-id sg-db',
        '  ✔ proxy.status  title of proxy.status',
        '      evidence of proxy.status',
      ].join('\n'),
    );
  });

  it('aligns the lines of a multi-line evidence and fix under their first line', () => {
    const text = renderChecks([{ ...sample.checks[0]!, evidence: 'first\nsecond', fix: 'one\ntwo' }]);
    expect(text.split('\n').slice(1)).toEqual(['      first', '      second', '      fix: one', '           two']);
  });
});
