import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
/** Nothing listens there, and there are no credentials: any AWS call would fail. */
const NO_AWS = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_EC2_METADATA_DISABLED: 'true' };

describe('iam-policy', () => {
  it('prints the README\'s policy for the stack and region, without calling AWS', async () => {
    const result = await runCli(['iam-policy', '--for', 'all', '--name', 'orders-dev', '--region', 'eu-west-1'], NO_AWS);
    expect(result.code, result.stderr).toBe(0);
    expect(readme).toContain(`\`\`\`json\n${result.stdout}\`\`\``);
  });

  it('prints the same document, indented, with --json', async () => {
    const args = ['iam-policy', '--for', 'doctor', '--name', 'orders-dev', '--region', 'eu-west-1'];
    const [plain, json] = await Promise.all([runCli(args, NO_AWS), runCli([...args, '--json'], NO_AWS)]);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(plain.stdout));
    expect(json.stdout).toContain('\n      "Action": [\n');
  });

  it('puts the account into the ARNs', async () => {
    const result = await runCli(['iam-policy', '--for', 'up', '--name', 'orders-dev', '--region', 'eu-west-1', '--account', '123456789012'], NO_AWS);
    expect(result.stdout).toContain('"arn:aws:rds:eu-west-1:123456789012:cluster:orders-dev-cluster"');
  });

  it('exits 2 and names the choices for a command it does not know', async () => {
    const result = await runCli(['iam-policy', '--for', 'deploy', '--region', 'eu-west-1'], NO_AWS);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--for "deploy" is not a command: use up|status|teardown|doctor|connect|grant|revoke|user|all, comma-separated.');
    expect(result.stdout).toBe('');
  });
});
