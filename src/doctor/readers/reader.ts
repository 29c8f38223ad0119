import type { AwsClients } from '../../aws/clients.js';
import type { Reader } from '../read-scheduler.js';
import type { DoctorOptions, SnapshotReads } from '../snapshot.js';

/** What every reader may use: the clients, and what the user asked about. */
export interface DiscoveryScope {
  clients: AwsClients;
  region: string;
  proxyName: string;
  options: DoctorOptions;
  /** When the run started: the end of the log window. */
  now: number;
}

export type SnapshotReader<T, N extends keyof SnapshotReads = keyof SnapshotReads> = Reader<SnapshotReads, DiscoveryScope, T, N>;

/**
 * Declares a reader of one snapshot field: the fields it needs, and its read, which is given
 * exactly those (a field it did not declare is a type error).
 */
export function reader<T, const N extends keyof SnapshotReads = never>(
  needs: readonly N[],
  read: (scope: DiscoveryScope, known: Pick<SnapshotReads, N>) => Promise<T>,
): SnapshotReader<T, N> {
  return { needs, read };
}

/** Every item of every page: a list read goes on to its last page. */
export async function allPages<Page, Item>(pages: AsyncIterable<Page>, items: (page: Page) => Item[] | undefined): Promise<Item[]> {
  const all: Item[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}

export const uniqueIds = (ids: readonly (string | undefined)[]): string[] => [...new Set(ids.filter((id): id is string => !!id))];
