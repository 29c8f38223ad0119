import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Output } from '../../../src/ui/output.js';
import { plainRenderer } from '../../../src/ui/progress.js';
import { MARK } from '../../../src/ui/symbols.js';

/** A stream that keeps what is written to it. */
function captured(isTTY = false, columns?: number) {
  const chunks: string[] = [];
  const stream = {
    isTTY,
    columns,
    write(chunk: string | Uint8Array) {
      chunks.push(String(chunk));
      return true;
    },
  };
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

const RESULT = { stack: 'demo', proxy: { endpoint: 'demo-proxy.proxy-abc.us-east-1.rds.amazonaws.com', port: 5432 } };

/** A short run of a command: progress, a warning, a verbose line, then its result. */
function runCommand(output: Output) {
  output.info('Using region us-east-1');
  const step = output.start('Creating RDS proxy demo-proxy');
  step.update('Waiting for RDS proxy demo-proxy (creating)');
  step.succeed('RDS proxy demo-proxy available');
  output.warn('Debug logging is on');
  output.verbose('aws rds.DescribeDBProxies {"DBProxyName":"demo-proxy"} → ok (12 ms)');
  output.result(
    () => 'Proxy endpoint: demo-proxy.proxy-abc.us-east-1.rds.amazonaws.com:5432',
    () => RESULT,
  );
}

beforeEach(() => {
  vi.stubEnv('CI', '');
  vi.stubEnv('TERM', 'xterm-256color');
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('Output with --json', () => {
  it('writes the result to stdout as one parseable JSON document and nothing else', async () => {
    const stdout = captured();
    const stderr = captured();
    const output = await Output.create({ json: true, verbose: false, stdout: stdout.stream, stderr: stderr.stream });

    runCommand(output);

    expect(JSON.parse(stdout.text())).toEqual(RESULT);
  });

  it('writes progress lines to stderr only', async () => {
    const stdout = captured();
    const stderr = captured();
    const output = await Output.create({ json: true, verbose: false, stdout: stdout.stream, stderr: stderr.stream });

    runCommand(output);

    expect(stderr.text()).toContain('Creating RDS proxy demo-proxy');
    expect(stderr.text()).toContain('RDS proxy demo-proxy available');
    expect(stderr.text()).toContain('Debug logging is on');
    expect(stdout.text()).not.toContain('Creating RDS proxy');
    expect(stderr.text()).not.toContain('"stack"');
  });

  it('does not build the human text', async () => {
    const human = vi.fn(() => 'human');
    const output = await Output.create({ json: true, verbose: false, stdout: captured().stream, stderr: captured().stream });

    output.result(human, () => RESULT);

    expect(human).not.toHaveBeenCalled();
  });
});

describe('Output in human mode', () => {
  it('prints the human text on stdout and no JSON', async () => {
    const stdout = captured();
    const stderr = captured();
    const output = await Output.create({ json: false, verbose: false, stdout: stdout.stream, stderr: stderr.stream });

    runCommand(output);

    expect(stdout.text()).toBe('Proxy endpoint: demo-proxy.proxy-abc.us-east-1.rds.amazonaws.com:5432\n');
    expect(stderr.text()).toContain('Creating RDS proxy demo-proxy');
  });

  it('marks finished, informational and warning lines', async () => {
    const stderr = captured();
    const output = await Output.create({ json: false, verbose: false, stdout: captured().stream, stderr: stderr.stream });

    runCommand(output);

    expect(stderr.text()).toContain(`${MARK.done} RDS proxy demo-proxy available`);
    expect(stderr.text()).toContain(`${MARK.info} Using region us-east-1`);
    expect(stderr.text()).toContain(`${MARK.warn} Debug logging is on`);
  });

  it('animates a spinner on a sized terminal outside CI', async () => {
    const stderr = captured(true, 120);
    const output = await Output.create({ json: false, verbose: false, stdout: captured().stream, stderr: stderr.stream });

    output.start('Creating Aurora cluster demo-cluster');
    output.close();

    expect(stderr.text()).toContain('Creating Aurora cluster demo-cluster');
    expect(stderr.text()).not.toMatch(/\[\s*0s\] …/);
  });

  it('uses plain lines, not a spinner, on a terminal that reports no width', async () => {
    const stderr = captured(true);
    const output = await Output.create({ json: false, verbose: false, stdout: captured().stream, stderr: stderr.stream });

    output.start('Creating Aurora cluster demo-cluster');

    expect(stderr.text()).toMatch(/^\[\s*0s\] … Creating Aurora cluster demo-cluster\n$/);
  });

  it('uses plain lines, not a spinner, on a terminal inside CI', async () => {
    vi.stubEnv('CI', 'true');
    const stderr = captured(true, 120);
    const output = await Output.create({ json: false, verbose: false, stdout: captured().stream, stderr: stderr.stream });

    output.start('Creating Aurora cluster demo-cluster');

    expect(stderr.text()).toMatch(/^\[\s*0s\] … Creating Aurora cluster demo-cluster\n$/);
  });
});

describe('verbose lines', () => {
  it('appear on stderr with --verbose', async () => {
    const stdout = captured();
    const stderr = captured();
    const output = await Output.create({ json: false, verbose: true, stdout: stdout.stream, stderr: stderr.stream });

    runCommand(output);

    expect(stderr.text()).toContain('aws rds.DescribeDBProxies');
    expect(stdout.text()).not.toContain('aws rds.DescribeDBProxies');
  });

  it('do not appear without --verbose', async () => {
    const stdout = captured();
    const stderr = captured();
    const output = await Output.create({ json: false, verbose: false, stdout: stdout.stream, stderr: stderr.stream });

    runCommand(output);

    expect(stderr.text() + stdout.text()).not.toContain('aws rds.DescribeDBProxies');
  });

  it('stay off stdout with --json, keeping the JSON document parseable', async () => {
    const stdout = captured();
    const stderr = captured();
    const output = await Output.create({ json: true, verbose: true, stdout: stdout.stream, stderr: stderr.stream });

    runCommand(output);

    expect(stderr.text()).toContain('aws rds.DescribeDBProxies');
    expect(JSON.parse(stdout.text())).toEqual(RESULT);
  });
});

describe('Output.plain', () => {
  it('sends progress to the given line writer and the result to stdout', () => {
    const lines: string[] = [];
    const stdout = captured();
    const output = Output.plain({ json: true, verbose: false, stdout: stdout.stream, stderrWrite: (l) => lines.push(l) });

    runCommand(output);

    expect(lines.some((l) => l.includes('Creating RDS proxy demo-proxy'))).toBe(true);
    expect(JSON.parse(stdout.text())).toEqual(RESULT);
  });
});

describe('plainRenderer', () => {
  it('stamps each line with the time since the command started', () => {
    const lines: string[] = [];
    let now = 1_000_000;
    const renderer = plainRenderer((l) => lines.push(l), () => now);

    const activity = renderer.start('Creating Aurora cluster demo-cluster');
    now += 95_000;
    activity.succeed('Aurora cluster demo-cluster available');

    expect(lines).toEqual([
      '[    0s] … Creating Aurora cluster demo-cluster',
      `[ 1m35s] ${MARK.done} Aurora cluster demo-cluster available`,
    ]);
  });

  it('prints an update only when its text changes', () => {
    const lines: string[] = [];
    const activity = plainRenderer((l) => lines.push(l), () => 0).start('Waiting for RDS proxy demo-proxy (creating)');

    activity.update('Waiting for RDS proxy demo-proxy (creating)');
    activity.update('Waiting for RDS proxy demo-proxy (creating)');
    activity.update('Waiting for RDS proxy demo-proxy (modifying)');

    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('(modifying)');
  });

  it('ends an activity with a failure or a neutral note mark', () => {
    const lines: string[] = [];
    const renderer = plainRenderer((l) => lines.push(l), () => 0);

    renderer.start('a').fail('Creating RDS proxy demo-proxy failed');
    renderer.start('b').note('Secret already exists, kept');

    expect(lines).toContain(`[    0s] ${MARK.fail} Creating RDS proxy demo-proxy failed`);
    expect(lines).toContain(`[    0s] ${MARK.skip} Secret already exists, kept`);
  });
});
