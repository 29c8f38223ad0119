/**
 * What a command hands the engine about the stack: plain values read with the stack's own steps.
 * The engine knows nothing of steps or doctor.
 */

/** What revoke, status and teardown need: the stack, and where its index of clients lives. */
export interface StackTarget {
  stack: string;
  /** The stack's proxy security group; undefined when it is gone (revoke still undoes the clients' own records). */
  proxySecurityGroupId?: string;
}

/** What grant needs besides: the proxy a client is wired to. */
export interface GrantTarget extends StackTarget {
  proxySecurityGroupId: string;
  region: string;
  proxy: {
    name: string;
    arn: string;
    /** The `prx-…` id, as rds-db:connect resources name it. */
    resourceId: string;
    endpoint: string;
    vpcId: string;
    subnetIds: string[];
  };
  databaseName: string;
  /** The database users the proxy's secrets hold, the default first. */
  users: string[];
}
