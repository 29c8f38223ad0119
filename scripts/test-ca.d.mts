export interface ServerCertificate {
  certFile: string;
  keyFile: string;
}

export interface TestCa {
  /** The CA certificate, for NODE_EXTRA_CA_CERTS. */
  certFile: string;
  /** Issues a server certificate whose only name (SAN) is hostName. */
  issue(hostName: string): ServerCertificate;
}

/** A throwaway certificate authority made with the openssl CLI in dir, valid for two days. */
export function createTestCa(dir: string): TestCa;
