import type { AwsClients } from '../aws/clients.js';
import { stackNames, type StackNames } from '../config/names.js';
import type { LeaseHolder } from './lease-holder.js';
import { LEASE_TIMING, type LeaseTiming } from './lease-timing.js';

/** What the command shows about a lease besides its errors. */
export type LeaseEvent =
  /** This run took the lease of a stopped run (stale), or of any run (--take-over-lease). */
  | { type: 'taken-over'; from: LeaseHolder; because: 'stale' | 'flag'; renewedAgoMs: number; staleAfterMs: number }
  /** Another run took the lease over while this one worked (or someone deleted it). */
  | { type: 'lost'; to?: LeaseHolder }
  /** The lease could not be released: it stays until it is stale or taken over. */
  | { type: 'release-failed'; error: unknown };

/** What a writing command gives to take the stack's lease. */
export interface StackLeaseSettings {
  clients: AwsClients;
  stack: string;
  region: string;
  /** This run's id: the holder's name in the lease, and the run tag on what it creates. */
  runId: string;
  notify?: (event: LeaseEvent) => void;
  /** Tests shrink it. */
  timing?: LeaseTiming;
  /** Tests set the clock staleness is judged by. */
  now?: () => number;
}

export interface LeaseContext {
  clients: AwsClients;
  stack: string;
  names: StackNames;
  runId: string;
  timing: LeaseTiming;
  now: () => number;
  notify: (event: LeaseEvent) => void;
}

export function leaseContext(settings: StackLeaseSettings): LeaseContext {
  return {
    clients: settings.clients,
    stack: settings.stack,
    names: stackNames(settings.stack, settings.region),
    runId: settings.runId,
    timing: settings.timing ?? LEASE_TIMING,
    now: settings.now ?? Date.now,
    notify: settings.notify ?? (() => undefined),
  };
}
