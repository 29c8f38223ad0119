import { FilterLogEventsCommand, paginateFilterLogEvents } from '@aws-sdk/client-cloudwatch-logs';
import { arnIn } from '../denials.js';
import { read, requiring } from '../read.js';
import type { LogEvents, Read } from '../snapshot.js';
import { reader } from './reader.js';

/** How far back logs.recent-errors looks, and how much of that window it reads at most. */
export const LOG_WINDOW_MINUTES = 60;
export const LOG_PAGE_LIMIT = 10;
export const LOG_EVENT_LIMIT = 10_000;

/**
 * The window's events of the proxy's log group, page by page: a page may be partial or even empty
 * while more remain, and only a missing nextToken means the end. Bounded, so that a chatty log
 * group cannot stall doctor; the result says when the bound cut the read short.
 */
export const recentLogsReader = reader([], ({ clients, proxyName, now, region }): Promise<Read<LogEvents>> => {
  const logGroup = `/aws/rds/proxy/${proxyName}`;
  const arn = arnIn(region, 'logs', `log-group:${logGroup}:*`);
  return read(`reading log group ${logGroup}`, () => requiring('logs:FilterLogEvents', arn, async () => {
    const events: LogEvents['events'] = [];
    const pages = paginateFilterLogEvents(
      {
        client: await clients.logs(),
        // Each page asks only for what the event limit leaves.
        withCommand: (command) => new FilterLogEventsCommand({ ...command.input, limit: LOG_EVENT_LIMIT - events.length }),
      },
      { logGroupName: logGroup, startTime: now - LOG_WINDOW_MINUTES * 60_000, endTime: now },
    );
    let pagesRead = 0;
    let complete = true;
    for await (const page of pages) {
      events.push(...(page.events ?? []).map((e) => ({ timestamp: e.timestamp ?? 0, message: e.message ?? '' })));
      pagesRead++;
      if (page.nextToken && (pagesRead >= LOG_PAGE_LIMIT || events.length >= LOG_EVENT_LIMIT)) {
        complete = false;
        break;
      }
    }
    return { logGroup, windowMinutes: LOG_WINDOW_MINUTES, events, complete };
  }));
});
