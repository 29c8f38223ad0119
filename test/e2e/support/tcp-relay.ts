import { createServer, connect, type Socket } from 'node:net';

export interface TcpRelay {
  port: number;
  /** Date.now() when the first byte from a client arrived; undefined until then. */
  firstByteAt(): number | undefined;
  stop(): Promise<void>;
}

/**
 * A loopback TCP forwarder to targetPort that notes when a client first sends a byte: what a
 * tunnel (--via) is to connect, and a stopwatch for how soon connect reaches the server.
 */
export async function startTcpRelay(targetPort: number): Promise<TcpRelay> {
  let firstByte: number | undefined;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.once('data', () => {
      firstByte ??= Date.now();
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    firstByteAt: () => firstByte,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
