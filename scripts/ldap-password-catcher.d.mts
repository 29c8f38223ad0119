/** A simple LDAP bind PostgreSQL made on behalf of a client: the DN and the password it sent. */
export interface CaughtBind {
  dn: string;
  password: string;
}

export interface LdapPasswordCatcher {
  port: number;
  /** Every bind so far, in order. */
  binds: CaughtBind[];
  stop(): Promise<void>;
}

/**
 * A loopback LDAP server that accepts every simple bind and keeps the password. PostgreSQL's
 * `ldap` auth method hands it the password the client sent, which is how the tests see that
 * connect sent its IAM token, over TLS, as the password.
 */
export function startLdapPasswordCatcher(): Promise<LdapPasswordCatcher>;
