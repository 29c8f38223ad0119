// A loopback LDAP server that PostgreSQL's `ldap` auth method asks to check each password: it
// accepts every simple bind and keeps the password, so the PostgreSQL standing in behind the
// sandbox's proxy accepts an IAM token and shows which one it was given. Shared by the demo and the
// end-to-end tests (types: ldap-password-catcher.d.mts).
import { createServer } from 'node:net';

/**
 * One BER element at the start of buf, or undefined while it is incomplete:
 * { tag, value, size } where size counts the whole element, tag and length included.
 */
function readTlv(buf) {
  if (buf.length < 2) return undefined;
  const first = buf[1];
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const bytes = first & 0x7f;
    if (buf.length < 2 + bytes) return undefined;
    length = buf.subarray(2, 2 + bytes).reduce((n, b) => n * 256 + b, 0);
    header = 2 + bytes;
  }
  if (buf.length < header + length) return undefined;
  return { tag: buf[0], value: buf.subarray(header, header + length), size: header + length };
}

function children(buf) {
  const out = [];
  for (let rest = buf; rest.length > 0; ) {
    const tlv = readTlv(rest);
    if (!tlv) break;
    out.push(tlv);
    rest = rest.subarray(tlv.size);
  }
  return out;
}

const BIND_REQUEST = 0x60;
const UNBIND_REQUEST = 0x42;

/** LDAPMessage { messageID, BindResponse { resultCode success, matchedDN "", diagnosticMessage "" } } */
function bindSuccess(messageIdTlv) {
  const response = Buffer.from([0x61, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00]);
  const body = Buffer.concat([messageIdTlv, response]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

function serve(socket, binds) {
  let pending = Buffer.alloc(0);
  socket.on('error', () => undefined);
  socket.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    for (let message = readTlv(pending); message; message = readTlv(pending)) {
      pending = pending.subarray(message.size);
      const [messageId, op] = children(message.value);
      if (!messageId || !op) continue;
      if (op.tag === UNBIND_REQUEST) {
        socket.end();
        return;
      }
      if (op.tag === BIND_REQUEST) {
        const [, name, simple] = children(op.value);
        binds.push({ dn: name?.value.toString('utf8') ?? '', password: simple?.value.toString('utf8') ?? '' });
        socket.write(bindSuccess(message.value.subarray(0, messageId.size)));
      }
    }
  });
}

/** Starts the catcher on a free loopback port. */
export async function startLdapPasswordCatcher() {
  const binds = [];
  const server = createServer((socket) => serve(socket, binds));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    binds,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
