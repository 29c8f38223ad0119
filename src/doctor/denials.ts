import { IAM_ACTIONS } from '../config/iam-actions.js';
import { expandPattern } from '../config/least-privilege-policy.js';
import { partitionOf } from '../config/partition.js';
import type { Denial } from './snapshot.js';

/**
 * What the doctor's policy grants an action on in this region (config/iam-actions.ts): the
 * resource a denial names when the read does not know the ARN it asked about.
 */
export function doctorResource(action: string, region: string): string {
  const row = IAM_ACTIONS.find((r) => r.action === action && r.commands.includes('doctor'));
  const values = { Partition: partitionOf(region), Region: region, Account: '*' };
  return (row?.resources ?? ['*']).map((pattern) => expandPattern(pattern, values)).join(' and ');
}

/** The ARN of a resource known by name in this region; its account is not known before the read. */
export function arnIn(region: string, service: string, resource: string): string {
  return `arn:${partitionOf(region)}:${service}:${region}:*:${resource}`;
}

const permission = (d: Denial) => (d.resource ? `${d.action} on ${d.resource}` : d.action);

/** The fix of a check that could not read: each permission to add, and where the whole policy is. */
export function grantFix(denials: readonly Denial[]): string {
  const unique = [...new Map(denials.map((d) => [permission(d), d])).values()];
  return `Grant ${unique.map(permission).join(' and ')} to the CLI's user; \`rdsproxy-setup iam-policy --for doctor\` prints the policy doctor needs.`;
}
