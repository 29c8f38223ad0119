import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './support/cli.js';
import { useSandbox } from './support/sandbox.js';
import { stackReads } from './support/stack-reads.js';

describe('secrets in output', () => {
  const sandbox = useSandbox();

  it('never show the database password or a request signature, in --verbose or --json, human or not', async () => {
    const cli = (command: string, ...flags: string[]) => runCli([command, '--name', 'quiet', ...flags], sandbox.env);
    const runs: CliResult[] = [];
    runs.push(await cli('up', '--verbose'));
    runs.push(await cli('up', '--verbose', '--json'));
    runs.push(await cli('status', '--verbose'));
    runs.push(await cli('status', '--verbose', '--json'));
    const { SecretString } = await stackReads(sandbox)
      .secrets()
      .send(new GetSecretValueCommand({ SecretId: 'rdsproxy-setup/quiet/master' }));
    const password = JSON.parse(SecretString!).password as string;
    runs.push(await cli('teardown', '--verbose', '--json', '--yes'));

    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
    expect(password.length).toBeGreaterThanOrEqual(32);
    const everything = runs.map((r) => r.stdout + r.stderr).join('\n');
    expect(everything).toContain('aws secretsmanager.CreateSecret');
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(SecretString!);
    expect(everything).not.toMatch(/X-Amz-Signature/i);
  });
});
