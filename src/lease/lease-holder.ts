import { formatElapsed } from '../config/timing.js';

/** The commands that write to a stack, and so hold its lease while they run. */
export type LeaseCommand = 'up' | 'teardown' | 'grant' | 'revoke' | 'user' | 'connect';

/** Who holds a stack's lease: the value of its SSM parameter. */
export interface LeaseHolder {
  runId: string;
  command: string;
  host: string;
  pid: number;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601, by the holder's clock; AWS's LastModifiedDate is what staleness is judged by. */
  renewedAt: string;
}

/** A lease as read from AWS. */
export interface ReadLease {
  holder: LeaseHolder;
  /** The parameter's version: it grows with every renewal. */
  version: number;
  /** When the holder last wrote it, by AWS's clock (LastModifiedDate). */
  renewedAt: Date;
}

const FIELDS = ['runId', 'command', 'host', 'startedAt', 'renewedAt'] as const;

/** The holder a parameter value names; a value this tool did not write names an unknown holder. */
export function parseHolder(value: string | undefined): LeaseHolder {
  try {
    const parsed = JSON.parse(value ?? '') as Record<string, unknown>;
    if (FIELDS.every((f) => typeof parsed[f] === 'string') && typeof parsed.pid === 'number') return parsed as unknown as LeaseHolder;
  } catch {
    // not JSON: described as unknown below
  }
  return { runId: 'unknown', command: 'unknown', host: 'unknown', pid: 0, startedAt: 'unknown', renewedAt: 'unknown' };
}

/** "run 20261125t101500z-4f2a9c1d (up on host build-7, pid 4242, started 2026-11-25T10:15:00.000Z)" */
export function describeHolder(holder: LeaseHolder): string {
  return `run ${holder.runId} (${holder.command} on host ${holder.host}, pid ${holder.pid}, started ${holder.startedAt})`;
}

/** How long ago AWS last saw the lease renewed, in words ("4s"). */
export function renewedAgo(lease: ReadLease, now: number): string {
  return formatElapsed(Math.max(0, now - lease.renewedAt.getTime()));
}
