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

/** Page answers keyed by the token that asks for them: the first page by `undefined`. */
export function paged<T>(pages: T[], token: (next: string) => Record<string, string>) {
  const asked: (string | undefined)[] = [];
  const answer = (given: string | undefined): T & Record<string, string> => {
    asked.push(given);
    const index = given === undefined ? 0 : Number(given.replace('page-', '')) - 1;
    const next = index + 1 < pages.length ? token(`page-${index + 2}`) : {};
    return { ...pages[index]!, ...next } as T & Record<string, string>;
  };
  return { answer, asked };
}
