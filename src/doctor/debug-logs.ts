import { need, pass, skip, warn, type Check, type CheckContext, type Outcome } from './check.js';
import { knownErrorIn } from './error-strings.js';

/** How many matching log lines are quoted, and how much of each. */
const QUOTED_LINES = 5;
const QUOTE_LENGTH = 240;

function debugLogging(ctx: CheckContext): Outcome {
  const proxy = need(ctx.snapshot.proxy);
  const name = proxy.DBProxyName;
  const failing = ctx.earlier.filter((r) => r.status === 'fail').map((r) => r.id);
  const on = proxy.DebugLogging === true;
  const turnOff = `aws rds modify-db-proxy --db-proxy-name ${name} --no-debug-logging`;
  if (on && failing.length > 0) {
    return pass(`Debug logging is on: /aws/rds/proxy/${name} has the detail behind ${failing.join(', ')}. It logs SQL text: turn it off when done (${turnOff}).`);
  }
  if (on) {
    return warn(`Debug logging is on and nothing fails: it logs SQL text, which may hold personal data.`, turnOff);
  }
  if (failing.length > 0) {
    return warn(
      `Debug logging is off while ${failing.join(', ')} fail${failing.length === 1 ? 's' : ''}.`,
      `Turn it on for a while to see the proxy's side in /aws/rds/proxy/${name} (it logs SQL text): aws rds modify-db-proxy --db-proxy-name ${name} --debug-logging; afterwards: ${turnOff}`,
    );
  }
  return pass('Debug logging is off (turn it on only while troubleshooting: it logs SQL text).');
}

function recentErrors(ctx: CheckContext): Outcome {
  const logs = ctx.snapshot.recentLogs;
  if (!logs.ok && logs.code === 'ResourceNotFoundException') {
    return skip(`Log group /aws/rds/proxy/${ctx.snapshot.proxyName} does not exist: the proxy has not logged anything yet.`);
  }
  const { logGroup, windowMinutes, events, complete } = need(logs);
  const found = events.flatMap((e) => {
    const known = knownErrorIn(e.message);
    return known ? [{ event: e, known }] : [];
  });
  const window =
    `${events.length} event${events.length === 1 ? '' : 's'} of the last ${windowMinutes} minutes in ${logGroup}` +
    (complete ? '' : ' (the oldest ones only: the read stopped at its limit and later events were not read)');
  if (found.length === 0) return pass(`No known error in ${window}.`);
  const quoted = found.slice(0, QUOTED_LINES).map(({ event, known }) => {
    const text = event.message.trim().replace(/\s+/g, ' ').slice(0, QUOTE_LENGTH);
    return `${new Date(event.timestamp).toISOString()} "${text}" → ${known.checks.join(', ')}`;
  });
  const more = found.length > QUOTED_LINES ? ` (and ${found.length - QUOTED_LINES} more)` : '';
  const checks = [...new Set(found.flatMap((f) => f.known.checks))];
  const notes = [...new Set(found.flatMap((f) => (f.known.note ? [f.known.note] : [])))];
  return warn(
    `${found.length} known error line${found.length === 1 ? '' : 's'} in ${window}${more}:\n${quoted.join('\n')}`,
    `See ${checks.join(', ')} above${notes.length ? `; ${notes.join('; ')}` : ''}.`,
  );
}

export const debugLogChecks: Check[] = [
  { id: 'logs.debug-logging', title: 'Debug logging', group: 'debug-logs', phase: 2, run: debugLogging },
  { id: 'logs.recent-errors', title: 'No known errors in the proxy\'s recent logs', group: 'debug-logs', run: recentErrors },
];
