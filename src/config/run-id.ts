import { randomBytes } from 'node:crypto';

/**
 * A new run's id, "20261125t101500z-4f2a9c1d": when it started (UTC, as snapshot ids are
 * written) and 32 random bits. It is tagged on what the run creates and names the run in the
 * stack's lease; letters, digits and hyphens fit every tag value and SSM parameter name.
 */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'z').toLowerCase();
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}
