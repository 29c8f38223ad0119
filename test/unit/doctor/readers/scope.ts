import { createAwsClients } from '../../../../src/aws/clients.js';
import type { DiscoveryScope } from '../../../../src/doctor/readers/reader.js';
import type { DoctorOptions } from '../../../../src/doctor/snapshot.js';
import { PROXY_NAME } from '../healthy-snapshot.js';

/** 2026-01-02T03:00:00Z: the end of the log window in reader tests. */
export const NOW = Date.UTC(2026, 0, 2, 3, 0, 0);

/** What a reader is given, with real clients whose calls aws-sdk-client-mock answers. */
export function scope(options: DoctorOptions = {}): DiscoveryScope {
  return { clients: createAwsClients({ region: 'us-east-1' }), region: 'us-east-1', proxyName: PROXY_NAME, options, now: NOW };
}

/**
 * Answers a list read page by page: page 1 when no token is given, page n for the token `page-n`;
 * every page but the last names the next one in the service's own token field(s).
 */
export function pagedAnswers<P extends object>(pages: P[], nextToken: (token: string) => object) {
  const asked: (string | undefined)[] = [];
  const answer = (token: string | undefined): P => {
    asked.push(token);
    const n = token === undefined ? 1 : Number(token.slice('page-'.length));
    return { ...pages[n - 1]!, ...(n < pages.length ? nextToken(`page-${n + 1}`) : {}) };
  };
  return { answer, asked };
}

/** `count` items made from their index, for lists long enough to need several pages. */
export const items = <T>(count: number, make: (i: number) => T): T[] => Array.from({ length: count }, (_, i) => make(i));
