import { describe, expect, it } from 'vitest';
import { connectionSnippet } from '../../../src/connect/snippet.js';

const TARGET = {
  proxyName: 'orders-proxy',
  host: 'orders-proxy.proxy-abc123xyz.eu-west-1.rds.amazonaws.com',
  port: 5432,
  user: 'appadmin',
  database: 'orders',
  region: 'eu-west-1',
};

describe('the connection snippet', () => {
  const snippet = connectionSnippet(TARGET);

  it('signs tokens with the rds-signer for the real endpoint, port, user and region', () => {
    expect(snippet).toContain("import { Signer } from '@aws-sdk/rds-signer';");
    expect(snippet).toMatch(
      /new Signer\(\{\s*hostname: "orders-proxy\.proxy-abc123xyz\.eu-west-1\.rds\.amazonaws\.com",\s*port: 5432,\s*username: "appadmin",\s*region: "eu-west-1",\s*\}\)/,
    );
  });

  it('opens a pg pool on the endpoint and database with TLS verification on', () => {
    expect(snippet).toContain("import pg from 'pg';");
    expect(snippet).toMatch(
      /new pg\.Pool\(\{\s*host: "orders-proxy\.proxy-abc123xyz\.eu-west-1\.rds\.amazonaws\.com",\s*port: 5432,\s*user: "appadmin",\s*database: "orders",/,
    );
    expect(snippet).toContain('ssl: { rejectUnauthorized: true },');
    expect(snippet).not.toMatch(/rejectUnauthorized: false|ca:|rds-ca|global-bundle/);
  });

  it('gives the password as a function so every new connection gets a fresh token', () => {
    expect(snippet).toContain('password: () => signer.getAuthToken(),');
  });

  it('explains the 15-minute token lifetime in exactly one comment', () => {
    const comments = snippet.split('\n').filter((line) => line.trim().startsWith('//'));
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain('15 minutes');
  });
});
