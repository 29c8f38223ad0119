import { CloudWatchLogsClient, FilterLogEventsCommand, ResourceNotFoundException } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { LOG_EVENT_LIMIT, recentLogsReader } from '../../../../src/doctor/readers/logs.js';
import { PROXY_NAME } from '../healthy-snapshot.js';
import { NOW, scope } from './scope.js';

const logs = mockClient(CloudWatchLogsClient);
afterEach(() => logs.reset());

const event = (message: string) => ({ timestamp: Date.UTC(2026, 0, 2, 2, 30, 0), message });
/** Each call's input as sent (the paginator reuses one input object, so the mock's record would show the last). */
function recordInputs(answers: ((n: number) => object)) {
  const inputs: Record<string, unknown>[] = [];
  logs.on(FilterLogEventsCommand).callsFake((input: Record<string, unknown>) => {
    inputs.push({ ...input });
    return answers(inputs.length);
  });
  return inputs;
}

describe('reading the proxy\'s recent logs', () => {
  it('reads the last 60 minutes of the proxy\'s log group', async () => {
    const inputs = recordInputs(() => ({ events: [event('The client session was pinned')] }));
    const logsRead = await recentLogsReader.read(scope(), {});
    expect(inputs[0]).toMatchObject({ logGroupName: `/aws/rds/proxy/${PROXY_NAME}`, startTime: NOW - 60 * 60_000, endTime: NOW });
    expect(logsRead).toEqual({
      ok: true,
      value: { logGroup: `/aws/rds/proxy/${PROXY_NAME}`, windowMinutes: 60, events: [event('The client session was pinned')], complete: true },
    });
  });

  it('follows nextToken past empty pages until the last page', async () => {
    const pages = [
      { events: [], nextToken: 'page-2' },
      { events: [event('PAM authentication failed for user "app_owner"')], nextToken: 'page-3' },
      { events: [event('The client session was pinned')] },
    ];
    const inputs = recordInputs((n) => pages[n - 1]!);
    const logsRead = await recentLogsReader.read(scope(), {});
    expect(inputs.map((i) => i.nextToken)).toEqual([undefined, 'page-2', 'page-3']);
    expect(logsRead.ok && logsRead.value.events.map((e) => e.message)).toEqual([
      'PAM authentication failed for user "app_owner"',
      'The client session was pinned',
    ]);
    expect(logsRead.ok && logsRead.value.complete).toBe(true);
  });

  it('stops after 10 pages and says the read is incomplete', async () => {
    recordInputs(() => ({ events: [event('The client session was pinned')], nextToken: 'more' }));
    const logsRead = await recentLogsReader.read(scope(), {});
    expect(logs.commandCalls(FilterLogEventsCommand)).toHaveLength(10);
    expect(logsRead.ok && logsRead.value.events).toHaveLength(10);
    expect(logsRead.ok && logsRead.value.complete).toBe(false);
  });

  it('asks each page only for the events the limit leaves, and stops at the limit', async () => {
    const page = { events: Array.from({ length: 4_000 }, () => event('select 1')), nextToken: 'more' };
    const inputs = recordInputs(() => page);
    const logsRead = await recentLogsReader.read(scope(), {});
    expect(inputs.map((i) => i.limit)).toEqual([LOG_EVENT_LIMIT, LOG_EVENT_LIMIT - 4_000, LOG_EVENT_LIMIT - 8_000]);
    expect(logsRead.ok && logsRead.value.complete).toBe(false);
  });

  it('says a read that reaches the limit on the window\'s last page is complete', async () => {
    recordInputs(() => ({ events: Array.from({ length: LOG_EVENT_LIMIT }, () => event('select 1')) }));
    const logsRead = await recentLogsReader.read(scope(), {});
    expect(logsRead.ok && logsRead.value.complete).toBe(true);
  });

  it('keeps a log group that does not exist as a not-found read', async () => {
    logs.on(FilterLogEventsCommand).rejects(new ResourceNotFoundException({ message: 'The specified log group does not exist.', $metadata: {} }));
    const logsRead = await recentLogsReader.read(scope(), {});
    expect(logsRead).toMatchObject({ ok: false, code: 'ResourceNotFoundException', notFound: true });
    expect(!logsRead.ok && logsRead.error).toBe(
      `reading log group /aws/rds/proxy/${PROXY_NAME}: The specified log group does not exist. (ResourceNotFoundException)`,
    );
  });
});
