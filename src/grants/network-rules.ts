import type { IpPermission } from '@aws-sdk/client-ec2';
import { isStackRule } from './records.js';

/** Whether a permission covers TCP on the port (all traffic counts). */
function coversTcpPort(p: IpPermission, port: number): boolean {
  if (p.IpProtocol === '-1') return true;
  if (p.IpProtocol !== 'tcp' && p.IpProtocol !== '6') return false;
  return (p.FromPort ?? -1) <= port && port <= (p.ToPort ?? -1);
}

/** An ingress rule on the port from that group: an equivalent rule, whoever added it. */
export function admitsGroup(ingress: readonly IpPermission[], groupId: string, port: number): boolean {
  return ingress.some((p) => coversTcpPort(p, port) && (p.UserIdGroupPairs ?? []).some((g) => g.GroupId === groupId));
}

/** Egress on the port to that group, or to anywhere. */
export function allowsEgressTo(egress: readonly IpPermission[], groupId: string, port: number): boolean {
  return egress.some(
    (p) =>
      coversTcpPort(p, port) &&
      ((p.UserIdGroupPairs ?? []).some((g) => g.GroupId === groupId) || (p.IpRanges ?? []).some((r) => r.CidrIp === '0.0.0.0/0')),
  );
}

/** A rule a grant of the stack added: TCP on the port, to or from a peer group, with its record as description. */
export interface StackRule {
  peerGroupId: string;
  description: string;
}

export function stackRules(permissions: readonly IpPermission[], stack: string, port: number): StackRule[] {
  return permissions
    .filter((p) => (p.IpProtocol === 'tcp' || p.IpProtocol === '6') && p.FromPort === port && p.ToPort === port)
    .flatMap((p) => p.UserIdGroupPairs ?? [])
    .filter((g) => g.GroupId !== undefined && isStackRule(stack, g.Description))
    .map((g) => ({ peerGroupId: g.GroupId!, description: g.Description! }));
}
