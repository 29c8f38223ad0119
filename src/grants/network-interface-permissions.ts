/** What a Lambda function's role needs to run in a VPC (doctor's client.same-vpc asks the same). */
export const NETWORK_INTERFACE_ACTIONS = ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface'] as const;

/** AWS managed policies that hold them. */
const MANAGED = /:iam::aws:policy\/service-role\/(AWSLambdaVPCAccessExecutionRole|AWSLambdaENIManagementAccess)$/;

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: unknown;
}

function allows(statement: Statement, action: string): boolean {
  if (statement.Effect !== 'Allow' || statement.Condition !== undefined) return false;
  const resources = [statement.Resource ?? []].flat();
  if (!resources.includes('*')) return false;
  return [statement.Action ?? []].flat().some((a) => a === '*' || a.toLowerCase() === 'ec2:*' || a.toLowerCase() === action.toLowerCase());
}

/**
 * The fallback when IAM's simulator does not answer: one of the managed policies above, or
 * unconditional Allow statements on `*` in the inline policies. Anything less certain counts as
 * missing: attaching the managed policy then is harmless, and recorded.
 */
export function grantsNetworkInterfaces(inlineDocuments: readonly string[], attachedPolicyArns: readonly string[]): boolean {
  if (attachedPolicyArns.some((arn) => MANAGED.test(arn))) return true;
  const statements = inlineDocuments.flatMap((document) => {
    try {
      return [(JSON.parse(document) as { Statement?: Statement | Statement[] }).Statement ?? []].flat();
    } catch {
      return [];
    }
  });
  return NETWORK_INTERFACE_ACTIONS.every((action) => statements.some((s) => allows(s, action)));
}
