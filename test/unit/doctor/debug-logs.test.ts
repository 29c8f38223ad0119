import { describe, expect, it } from 'vitest';
import { missing, got } from '../../../src/doctor/read.js';
import { check, healthySnapshot, PROXY_NAME, value } from './healthy-snapshot.js';

describe('logs.debug-logging', () => {
  it('warns when debug logging is off while another check fails, with how to turn it on for a while', async () => {
    const snapshot = healthySnapshot();
    value<{ RequireTLS: boolean }>(snapshot.proxy).RequireTLS = false;
    const result = await check('logs.debug-logging', snapshot);
    expect(result.status).toBe('warn');
    expect(result.evidence).toBe('Debug logging is off while client.tls fails.');
    expect(result.fix).toContain(`aws rds modify-db-proxy --db-proxy-name ${PROXY_NAME} --debug-logging`);
    expect(result.fix).toContain('it logs SQL text');
  });

  it('warns when debug logging is left on with nothing failing', async () => {
    const snapshot = healthySnapshot();
    value<{ DebugLogging: boolean }>(snapshot.proxy).DebugLogging = true;
    const result = await check('logs.debug-logging', snapshot);
    expect(result.status).toBe('warn');
    expect(result.fix).toBe(`aws rds modify-db-proxy --db-proxy-name ${PROXY_NAME} --no-debug-logging`);
  });
});

describe('logs.recent-errors', () => {
  it('is skipped when the proxy has no log group yet', async () => {
    const snapshot = healthySnapshot();
    snapshot.recentLogs = missing('reading log group: The specified log group does not exist. (ResourceNotFoundException)', 'ResourceNotFoundException');
    const result = await check('logs.recent-errors', snapshot);
    expect(result.status).toBe('skip');
    expect(result.evidence).toContain(`/aws/rds/proxy/${PROXY_NAME} does not exist`);
  });

  it('quotes each known error line and maps it to the checks that explain it', async () => {
    const snapshot = healthySnapshot();
    snapshot.recentLogs = got({
      logGroup: `/aws/rds/proxy/${PROXY_NAME}`,
      windowMinutes: 60,
      complete: true,
      events: [
        { timestamp: Date.UTC(2026, 0, 2, 3, 4, 5), message: 'The client session was pinned' },
        { timestamp: Date.UTC(2026, 0, 2, 3, 4, 6), message: 'This RDS proxy has no credentials for the role reporting. Check the credentials for this role and try again.' },
      ],
    });
    const result = await check('logs.recent-errors', snapshot);
    expect(result.status).toBe('warn');
    expect(result.evidence).toContain(
      '2026-01-02T03:04:06.000Z "This RDS proxy has no credentials for the role reporting. Check the credentials for this role and try again." → client.user-matches, proxy.auth',
    );
    expect(result.evidence).not.toContain('pinned');
    expect(result.fix).toBe('See client.user-matches, proxy.auth above.');
  });

  it('says when the read stopped at its limit and later events were not read', async () => {
    const snapshot = healthySnapshot();
    snapshot.recentLogs = got({
      logGroup: `/aws/rds/proxy/${PROXY_NAME}`,
      windowMinutes: 60,
      complete: false,
      events: [{ timestamp: Date.UTC(2026, 0, 2, 3, 4, 5), message: 'The client session was pinned' }],
    });
    const result = await check('logs.recent-errors', snapshot);
    expect(result.status).toBe('pass');
    expect(result.evidence).toBe(
      `No known error in 1 event of the last 60 minutes in /aws/rds/proxy/${PROXY_NAME} (the oldest ones only: the read stopped at its limit and later events were not read).`,
    );
  });
});
