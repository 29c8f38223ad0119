/** The parts of an ARN: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the account, colons included (`db-proxy:prx-0abc`, `role/name`). */
  resource: string;
}

/** Splits an ARN; undefined for anything that is not one. */
export function parseArn(arn: string): ArnParts | undefined {
  const [prefix, partition, service, region, account, ...resource] = arn.split(':');
  if (prefix !== 'arn' || !partition || !service || resource.length === 0) return undefined;
  return { partition, service, region: region ?? '', account: account ?? '', resource: resource.join(':') };
}

/**
 * The resource a client's `rds-db:connect` must allow for a database user: it names the proxy's
 * `prx-` resource id (never its name), in the proxy's own partition (aws, aws-cn, aws-us-gov).
 */
export function connectResourceArn(proxyArn: string, user: string): string | undefined {
  const parts = parseArn(proxyArn);
  if (!parts) return undefined;
  const resourceId = parts.resource.split(':').pop();
  return `arn:${parts.partition}:rds-db:${parts.region}:${parts.account}:dbuser:${resourceId}/${user}`;
}
