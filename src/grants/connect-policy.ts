/**
 * The stack's inline policy on a client's role: `rds-db:connect` on exactly the proxy's
 * `dbuser:<prx-id>/<user>` resources its clients need, the union when the role serves several.
 */

const SID = 'RdsProxySetupConnect';

export function connectPolicyDocument(resources: readonly string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: SID, Effect: 'Allow', Action: 'rds-db:connect', Resource: [...new Set(resources)].sort() }],
  });
}

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
}

/** The connect resources of the stack's policy (as IAM returns it, decoded); none for anything else. */
export function connectPolicyResources(document: string | undefined): string[] {
  if (document === undefined) return [];
  let parsed: { Statement?: Statement | Statement[] };
  try {
    parsed = JSON.parse(document) as typeof parsed;
  } catch {
    return [];
  }
  return [parsed.Statement ?? []]
    .flat()
    .filter((s) => s.Effect === 'Allow' && [s.Action ?? []].flat().includes('rds-db:connect'))
    .flatMap((s) => [s.Resource ?? []].flat());
}

/** `…:dbuser:prx-0abc/app_user` → `app_user`. */
export const userOfConnectResource = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

/** A policy's size as IAM counts it against a role's quota: without whitespace. */
export function policySize(document: string): number {
  try {
    return JSON.stringify(JSON.parse(document)).length;
  } catch {
    return document.replace(/\s/g, '').length;
  }
}

/** Whether two policy documents say the same, whitespace and key order as IAM returns them aside. */
export function samePolicy(a: string, b: string): boolean {
  const canonical = (document: string): string => {
    const sort = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(sort)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => [k, sort(v)]))
          : value;
    try {
      return JSON.stringify(sort(JSON.parse(document)));
    } catch {
      return document;
    }
  };
  return canonical(a) === canonical(b);
}
