import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, beforeEach, vi } from 'vitest';

export interface SeenRequest {
  url: string;
  body: string;
}

/** An answer (XML unless a type is given, after an optional delay), or none at all. */
export type ScriptedReply = 'hang' | { status: number; body: string; type?: string; delayMs?: number };

export interface ScriptedEndpoint {
  url: string;
  /** Every request received, in order. */
  seen: SeenRequest[];
  openConnections(): number;
  close(): Promise<void>;
}

/** A loopback AWS endpoint that answers each request as the script says, or never. */
export async function scriptedEndpoint(reply: (request: SeenRequest, index: number) => ScriptedReply): Promise<ScriptedEndpoint> {
  const seen: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') };
      seen.push(request);
      const answer = reply(request, seen.length - 1);
      if (answer === 'hang') return;
      setTimeout(() => {
        res.writeHead(answer.status, { 'content-type': answer.type ?? 'text/xml' });
        res.end(answer.body);
      }, answer.delayMs ?? 0);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    openConnections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Static test credentials in the environment for each test (no profile, no endpoint from the shell). */
export function useStaticCredentials(): void {
  beforeEach(() => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAEXAMPLEUNITTEST');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'unit-test-secret-key');
    vi.stubEnv('AWS_SESSION_TOKEN', undefined);
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_ENDPOINT_URL', undefined);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });
}
