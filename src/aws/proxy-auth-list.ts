import type { UserAuthConfig, UserAuthConfigInfo } from '@aws-sdk/client-rds';

/**
 * A proxy's auth entries but the one for secretArn, as ModifyDBProxy takes them back. It
 * replaces the whole list, so every other entry is sent as DescribeDBProxies gave it (only the
 * members ModifyDBProxy takes).
 */
export function otherAuthEntries(current: UserAuthConfigInfo[], secretArn: string): UserAuthConfig[] {
  return current
    .filter((a) => a.SecretArn !== secretArn)
    .map((a) => ({
      AuthScheme: a.AuthScheme,
      UserName: a.UserName,
      SecretArn: a.SecretArn,
      IAMAuth: a.IAMAuth,
      Description: a.Description,
      ClientPasswordAuthType: a.ClientPasswordAuthType,
    }));
}
