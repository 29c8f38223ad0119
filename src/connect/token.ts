import type { SignerConfig } from '@aws-sdk/rds-signer';

export interface TokenRequest {
  /** The proxy endpoint, never a tunnel's address: the proxy checks the token against its own name. */
  host: string;
  port: number;
  user: string;
  region: string;
  /** The same credentials the AWS clients use (the client factory's chain: profile, env, SSO…). */
  credentials: NonNullable<SignerConfig['credentials']>;
}

/**
 * An IAM auth token: a SigV4-presigned `connect` request for host:port and DBUser, valid 15
 * minutes. It is the password for one connection attempt; never print or log it.
 */
export async function signAuthToken(request: TokenRequest): Promise<string> {
  const { Signer } = await import('@aws-sdk/rds-signer');
  const signer = new Signer({
    hostname: request.host,
    port: request.port,
    username: request.user,
    region: request.region,
    credentials: request.credentials,
  });
  return signer.getAuthToken();
}
