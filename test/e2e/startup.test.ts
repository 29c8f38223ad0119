import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI } from './support/cli.js';

const RECORDER = fileURLToPath(new URL('./support/record-imports.mjs', import.meta.url));

/** Runs the CLI and returns the AWS SDK client packages it loaded. */
function sdkClientsLoaded(args: string[]): { clients: string[]; status: number | null; stdout: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'imports-')), 'imports.txt');
  const run = spawnSync(process.execPath, ['--import', RECORDER, CLI, ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      RECORD_IMPORTS_FILE: file,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_MAX_ATTEMPTS: '1',
    },
    encoding: 'utf8',
  });
  const urls = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  const clients = [...new Set(urls.flatMap((u) => /@aws-sdk\/(client-[a-z0-9-]+)\//.exec(u)?.[1] ?? []))].sort();
  return { clients, status: run.status, stdout: run.stdout };
}

describe('start-up cost', () => {
  it('--help prints the commands and loads no AWS SDK client', () => {
    const { clients, status, stdout } = sdkClientsLoaded(['--help']);

    expect(status).toBe(0);
    expect(stdout).toContain('teardown');
    expect(clients).toEqual([]);
  });

  it('--version loads no AWS SDK client', () => {
    const { clients, status } = sdkClientsLoaded(['--version']);

    expect(status).toBe(0);
    expect(clients).toEqual([]);
  });

  it('status loads only clients of the stack it reads (RDS, EC2, IAM, Secrets Manager, Lambda for the stack\'s function), none of the doctor clients', () => {
    // Nothing listens on port 9: the command fails, but only after loading what it needs.
    const { clients } = sdkClientsLoaded(['status', '--endpoint-url', 'http://127.0.0.1:9']);

    expect(clients).toContain('client-rds');
    for (const client of clients) expect(['client-ec2', 'client-iam', 'client-lambda', 'client-rds', 'client-secrets-manager']).toContain(client);
  });

  it('connect loads the RDS client only: no EC2, IAM or Secrets Manager', () => {
    const { clients } = sdkClientsLoaded(['connect', '--proxy', 'orders-proxy', '--endpoint-url', 'http://127.0.0.1:9']);

    expect(clients).toEqual(['client-rds']);
  });
});
