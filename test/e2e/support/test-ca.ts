import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A throwaway certificate authority made with the openssl CLI in dir, valid for two days. */
export function createTestCa(dir: string): TestCa {
  const certFile = join(dir, 'test-ca.crt');
  const keyFile = join(dir, 'test-ca.key');
  openssl([
    'req', '-x509', ...ecKey, '-keyout', keyFile, '-out', certFile, '-days', '2',
    '-subj', '/CN=rdsproxy-setup test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  let serial = 0;
  return {
    certFile,
    issue(hostName) {
      serial += 1;
      const base = join(dir, `server-${serial}`);
      const extFile = `${base}.ext`;
      writeFileSync(
        extFile,
        `subjectAltName=DNS:${hostName}\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\n`,
      );
      openssl(['req', '-new', ...ecKey, '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', '/CN=rdsproxy-setup test server']);
      openssl([
        'x509', '-req', '-in', `${base}.csr`, '-CA', certFile, '-CAkey', keyFile, '-set_serial', String(serial),
        '-days', '2', '-extfile', extFile, '-out', `${base}.crt`,
      ]);
      return { certFile: `${base}.crt`, keyFile: `${base}.key` };
    },
  };
}
