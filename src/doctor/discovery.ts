import { allRead, scheduleReads, type Pending, type Readers } from './read-scheduler.js';
import { SNAPSHOT_READERS } from './readers/all-readers.js';
import type { DiscoveryScope } from './readers/reader.js';
import type { Snapshot, SnapshotReads } from './snapshot.js';

/** The discovery pass under way: each field as it is read, and the whole snapshot. */
export interface Discovery {
  /** For work that can start before the whole pass is done (a question about the proxy's role). */
  pending: Pending<SnapshotReads>;
  snapshot: Promise<Snapshot>;
}

/**
 * Starts the discovery pass: every reader runs once, as soon as what it needs is read. It never
 * throws for AWS: a read that fails is kept as an error for the checks that need it.
 */
export function startDiscovery(scope: DiscoveryScope, readers: Readers<SnapshotReads, DiscoveryScope> = SNAPSHOT_READERS): Discovery {
  const pending = scheduleReads(readers, scope);
  const snapshot = allRead(pending).then((reads) => ({ region: scope.region, proxyName: scope.proxyName, ...reads }));
  return { pending, snapshot };
}
