import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/**
 * What the proxy does to a matching request:
 * - refuse: answers with an AWS error itself; the sandbox never sees the request;
 * - delay: waits, then forwards;
 * - drop: forwards, lets the sandbox do the work, then cuts the connection: the answer is lost
 *   (the SDK sees a reset and retries, as it would on a real network);
 * - hang: never answers (the connection stays open until the client gives up or the proxy stops).
 */
export type Fault =
  | { kind: 'refuse'; status?: number; code?: string; message?: string }
  | { kind: 'delay'; ms: number }
  | { kind: 'drop' }
  | { kind: 'hang' };

export interface FaultRule {
  /** The AWS operation (`CreateSecurityGroup`), a pattern, or '*' for every request. */
  operation: string | RegExp;
  fault: Fault;
  /** How many matching requests get the fault (default 1); Infinity for all. */
  times?: number;
  /** Matching requests to let through untouched before the fault applies (default 0). */
  after?: number;
}

export interface ProxiedCall {
  /** The AWS operation, as in the API reference (`CreateDBCluster`); `unknown` when not recognised. */
  operation: string;
  /** The fault applied, if any. */
  fault?: Fault['kind'];
}

export interface FaultProxy {
  /** Point the CLI here instead of the sandbox (AWS_ENDPOINT_URL). */
  endpoint: string;
  /** The sandbox's environment with AWS_ENDPOINT_URL pointing at the proxy. */
  env: Record<string, string>;
  inject(rule: FaultRule): void;
  /** Every AWS request seen, in order of arrival. */
  calls(): ProxiedCall[];
  /** The requests that would change something on AWS (not Describe/Get/List/… reads). */
  writes(): ProxiedCall[];
  /** Forgets the rules and the calls seen. */
  clear(): void;
  stop(): Promise<void>;
}

const READ_PREFIXES = /^(Describe|Get|List|Filter|Simulate|Lookup|Search|Batch(Get|Describe)|unknown$)/;

export function isWrite(operation: string): boolean {
  return !READ_PREFIXES.test(operation);
}

/** Lambda is a REST service: its operation is in the method and path (Lambda API reference, "Actions"). */
const LAMBDA_ROUTES: [string, RegExp, string][] = [
  ['GET', /^\/[\d-]+\/functions\/[^/]+\/configuration$/, 'GetFunctionConfiguration'],
  ['PUT', /^\/[\d-]+\/functions\/[^/]+\/configuration$/, 'UpdateFunctionConfiguration'],
  ['PUT', /^\/[\d-]+\/functions\/[^/]+\/code$/, 'UpdateFunctionCode'],
  ['POST', /^\/[\d-]+\/functions\/[^/]+\/invocations$/, 'Invoke'],
  ['GET', /^\/[\d-]+\/functions\/[^/]+$/, 'GetFunction'],
  ['DELETE', /^\/[\d-]+\/functions\/[^/]+$/, 'DeleteFunction'],
  ['POST', /^\/[\d-]+\/functions\/?$/, 'CreateFunction'],
  ['GET', /^\/[\d-]+\/functions\/?$/, 'ListFunctions'],
  ['GET', /^\/[\d-]+\/tags\/.+$/, 'ListTags'],
  ['POST', /^\/[\d-]+\/tags\/.+$/, 'TagResource'],
  ['DELETE', /^\/[\d-]+\/tags\/.+$/, 'UntagResource'],
];

/** The operation of a request in any of the protocols the CLI's clients speak. */
export function operationOf(method: string, url: string, headers: IncomingMessage['headers'], body: string): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1);
  const path = url.split('?')[0]!;
  const route = LAMBDA_ROUTES.find(([m, pattern]) => m === method && pattern.test(path));
  if (route) return route[2];
  const action = new URLSearchParams(body).get('Action') ?? new URLSearchParams(url.split('?')[1] ?? '').get('Action');
  return action ?? 'unknown';
}

function matches(rule: FaultRule, operation: string): boolean {
  if (rule.operation === '*') return true;
  return typeof rule.operation === 'string' ? rule.operation === operation : rule.operation.test(operation);
}

/** An error body in the request's protocol, so the SDK parses it as it would AWS's. */
function refusal(req: IncomingMessage, res: ServerResponse, fault: Extract<Fault, { kind: 'refuse' }>): void {
  const status = fault.status ?? 400;
  const code = fault.code ?? 'InjectedFault';
  const message = fault.message ?? 'refused by the test fault proxy';
  const json = typeof req.headers['x-amz-target'] === 'string' || (req.url ?? '').startsWith('/20');
  if (json) {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code });
    res.end(JSON.stringify({ __type: code, message, Message: message }));
    return;
  }
  // EC2 answers <Response><Errors>; the other query services <ErrorResponse>; the SDK reads both.
  res.writeHead(status, { 'content-type': 'text/xml' });
  res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fault</RequestId></ErrorResponse>`);
}

/**
 * A loopback HTTP proxy in front of the sandbox that injects faults into chosen AWS operations and
 * counts every request, so a test can say "zero writes" or "the answer to CreateDBCluster was lost"
 * and check it.
 */
export async function startFaultProxy(sandboxEndpoint: string, sandboxEnv: Record<string, string>): Promise<FaultProxy> {
  const target = new URL(sandboxEndpoint);
  let rules: { rule: FaultRule; seen: number; applied: number }[] = [];
  let seen: ProxiedCall[] = [];
  const sockets = new Set<Socket>();
  const pending = new Set<ServerResponse>();

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, onAnswered?: () => void) => {
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (onAnswered) {
          answer.resume();
          answer.on('end', onAnswered);
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = operationOf(req.method ?? 'GET', req.url ?? '/', req.headers, body.toString('utf8'));
      const internal = (req.url ?? '').startsWith('/_sandbox') || (req.url ?? '').startsWith('/moto-api');
      const entry = internal
        ? undefined
        : rules.find((r) => matches(r.rule, operation) && r.seen++ >= (r.rule.after ?? 0) && r.applied < (r.rule.times ?? 1));
      if (!internal) seen.push({ operation, ...(entry ? { fault: entry.rule.fault.kind } : {}) });
      if (!entry) return forward(req, res, body);
      entry.applied++;
      const fault = entry.rule.fault;
      switch (fault.kind) {
        case 'refuse':
          return refusal(req, res, fault);
        case 'delay':
          return void setTimeout(() => forward(req, res, body), fault.ms);
        case 'drop':
          return forward(req, res, body, () => res.socket?.destroy());
        case 'hang':
          pending.add(res);
          return;
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    endpoint,
    env: { ...sandboxEnv, AWS_ENDPOINT_URL: endpoint },
    inject: (rule) => void rules.push({ rule, seen: 0, applied: 0 }),
    calls: () => [...seen],
    writes: () => seen.filter((c) => isWrite(c.operation)),
    clear: () => {
      rules = [];
      seen = [];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        pending.clear();
        server.close(() => resolve());
      }),
  };
}

/**
 * One fault proxy for a describe block, in front of its sandbox (call after useSandbox): started
 * once, its rules and the calls it saw cleared before each test, stopped after the block.
 */
export function useFaultProxy(sandbox: { endpoint: string; env: Record<string, string> }): FaultProxy {
  const proxy = {} as FaultProxy;
  beforeAll(async () => {
    Object.assign(proxy, await startFaultProxy(sandbox.endpoint, sandbox.env));
  });
  beforeEach(() => proxy.clear());
  afterAll(async () => proxy.stop?.());
  return proxy;
}
