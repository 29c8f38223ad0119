import type { IpPermission } from '@aws-sdk/client-ec2';

/** Whether a security group's rules let TCP on a port pass to or from a peer, and which rule does. */

/** Who is on the other side of a rule: security groups, or addresses that a CIDR rule must hold. */
export interface Peer {
  groupIds?: readonly string[];
  /** Every one of these blocks must lie inside the rule's CIDR. */
  cidrs?: readonly string[];
}

function ipv4(address: string): number | undefined {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

/** Whether the IPv4 block `outer` holds the whole block `inner`. */
export function cidrContains(outer: string, inner: string): boolean {
  const [oAddr, oBits] = outer.split('/');
  const [iAddr, iBits] = inner.split('/');
  const o = ipv4(oAddr ?? '');
  const i = ipv4(iAddr ?? '');
  const ob = Number(oBits ?? 32);
  const ib = Number(iBits ?? 32);
  if (o === undefined || i === undefined || ob > ib) return false;
  const mask = ob === 0 ? 0 : (0xffffffff << (32 - ob)) >>> 0;
  return ((o & mask) >>> 0) === ((i & mask) >>> 0);
}

function coversPort(permission: IpPermission, port: number): boolean {
  const protocol = permission.IpProtocol ?? '';
  if (protocol === '-1') return true;
  if (protocol !== 'tcp' && protocol !== '6') return false;
  const from = permission.FromPort ?? 0;
  const to = permission.ToPort ?? 65535;
  return from <= port && port <= to;
}

function portText(permission: IpPermission): string {
  if (permission.IpProtocol === '-1') return 'all traffic';
  return permission.FromPort === permission.ToPort
    ? `TCP ${permission.FromPort}`
    : `TCP ${permission.FromPort}-${permission.ToPort}`;
}

/**
 * The first rule in these permissions that lets TCP on `port` pass to or from the peer, described
 * for the evidence ("TCP 5432 from sg-0abc"); undefined when none does.
 */
export function matchingRule(
  permissions: readonly IpPermission[] | undefined,
  port: number,
  peer: Peer,
  direction: 'from' | 'to' = 'from',
): string | undefined {
  for (const permission of permissions ?? []) {
    if (!coversPort(permission, port)) continue;
    const group = (permission.UserIdGroupPairs ?? []).find((pair) => pair.GroupId && peer.groupIds?.includes(pair.GroupId));
    if (group) return `${portText(permission)} ${direction} ${group.GroupId}`;
    if (peer.cidrs && peer.cidrs.length > 0) {
      const range = (permission.IpRanges ?? []).find(
        (r) => r.CidrIp && peer.cidrs!.every((inner) => cidrContains(r.CidrIp!, inner)),
      );
      if (range) return `${portText(permission)} ${direction} ${range.CidrIp}`;
    }
  }
  return undefined;
}

export function allowsPort(permissions: readonly IpPermission[] | undefined, port: number, peer: Peer): boolean {
  return matchingRule(permissions, port, peer) !== undefined;
}
