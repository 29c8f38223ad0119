import { parseArn } from './arns.js';
import { userSecretName } from './names.js';
import type { AuthMode } from './up-config.js';

/**
 * The inline policy on the proxy's role for one database user (`user-<name>`): what the proxy
 * needs to log in to the database as that user, in the stack's auth mode.
 * - secrets: read the user's secret (the ARN ends in `-` and six random characters).
 * - iam: `rds-db:connect` as the user on the cluster's resource id (`cluster-…`, not the proxy's
 *   `prx-…`): https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-iam-setup.html
 */
export interface UserPolicyScope {
  stack: string;
  user: string;
  /** Any ARN of the stack (the cluster's): partition, region and account come from it. */
  stackArn: string;
  /** DbClusterResourceId, `cluster-…`. */
  clusterResourceId: string;
}

export interface UserPolicyDocument {
  Version: '2012-10-17';
  Statement: { Sid: string; Effect: 'Allow'; Action: string; Resource: string }[];
}

export function userSecretArnPattern(scope: UserPolicyScope): string {
  const { partition, region, account } = parseArn(scope.stackArn) ?? { partition: 'aws', region: '', account: '' };
  return `arn:${partition}:secretsmanager:${region}:${account}:secret:${userSecretName(scope.stack, scope.user)}-??????`;
}

/** `arn:aws:rds-db:<region>:<account>:dbuser:cluster-…/<user>`: what the proxy's role connects as in IAM mode. */
export function clusterConnectArn(scope: UserPolicyScope): string {
  const { partition, region, account } = parseArn(scope.stackArn) ?? { partition: 'aws', region: '', account: '' };
  return `arn:${partition}:rds-db:${region}:${account}:dbuser:${scope.clusterResourceId}/${scope.user}`;
}

export function userPolicyDocument(mode: AuthMode, scope: UserPolicyScope): UserPolicyDocument {
  const statement =
    mode === 'iam'
      ? { Sid: 'ConnectAsDatabaseUser', Effect: 'Allow' as const, Action: 'rds-db:connect', Resource: clusterConnectArn(scope) }
      : { Sid: 'ReadDatabaseUserSecret', Effect: 'Allow' as const, Action: 'secretsmanager:GetSecretValue', Resource: userSecretArnPattern(scope) };
  return { Version: '2012-10-17', Statement: [statement] };
}
