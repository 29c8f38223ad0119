// A throwaway certificate authority for the PostgreSQL that stands in behind the sandbox's proxy:
// its server certificates name the proxy's endpoint, so clients verify TLS as they would on AWS.
// Shared by the demo and the end-to-end tests (types: test-ca.d.mts).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const openssl = (args) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A certificate authority made with the openssl CLI in dir, valid for two days. */
export function createTestCa(dir) {
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
