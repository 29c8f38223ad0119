import { connectResourceArn } from '../config/arns.js';
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

/** dbUser names the connect resource; without it (the cluster is gone) that output is left out. */
export function stackOutputs(resources: Partial<StackResources>, dbUser: string | undefined): StackOutputs {
  const { proxy, secret, cluster } = resources;
  return {
    proxyEndpoint: proxy?.endpoint,
    proxyArn: proxy?.arn,
    proxyResourceId: proxy?.resourceId,
    secretArn: secret?.arn,
    clusterEndpoint: cluster?.endpoint,
    connectResourceArn: proxy && dbUser ? connectResourceArn(proxy.arn, dbUser) : undefined,
  };
}
