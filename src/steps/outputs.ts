import type { StackResources } from './resources.js';

/** What a user needs from a finished stack (the `outputs` of `up --json` and `status --json`). */
export interface StackOutputs {
  proxyEndpoint?: string;
  proxyArn?: string;
  proxyResourceId?: string;
  secretArn?: string;
  clusterEndpoint?: string;
  /** The resource a client role's `rds-db:connect` statement must name (proxy id, not name). */
  connectResourceArn?: string;
}

/** arn:aws:rds:<region>:<account>:db-proxy:prx-… → the account id. */
function accountOf(arn: string): string | undefined {
  return arn.split(':')[4] || undefined;
}

/** dbUser names the connect resource; without it (the cluster is gone) that output is left out. */
export function stackOutputs(resources: Partial<StackResources>, region: string, dbUser: string | undefined): StackOutputs {
  const { proxy, secret, cluster } = resources;
  const account = proxy ? accountOf(proxy.arn) : undefined;
  return {
    proxyEndpoint: proxy?.endpoint,
    proxyArn: proxy?.arn,
    proxyResourceId: proxy?.resourceId,
    secretArn: secret?.arn,
    clusterEndpoint: cluster?.endpoint,
    connectResourceArn:
      proxy && account && dbUser ? `arn:aws:rds-db:${region}:${account}:dbuser:${proxy.resourceId}/${dbUser}` : undefined,
  };
}
