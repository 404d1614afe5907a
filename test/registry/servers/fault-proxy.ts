import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * What to do to one request. `status` answers without reaching the registry;
 * `drop-request` takes half the request body and drops the client, the registry
 * seeing nothing; `cut-request` forwards only half of the request body and then
 * drops both connections; `corrupt-request` forwards the body with one bit flipped;
 * `cut-response` passes half of the answer's body and drops the client;
 * `answer` replies with the given status and headers, as a misbehaving registry would;
 * `hold` never answers (until the proxy stops), as a stalled download looks to a client.
 */
export type Fault =
  | { kind: 'status'; status: number; retryAfter?: number; code?: string }
  | { kind: 'drop-request' }
  | { kind: 'redirect'; to: string }
  | { kind: 'answer'; status: number; headers: Record<string, string> }
  | { kind: 'cut-request' }
  | { kind: 'corrupt-request' }
  | { kind: 'cut-response' }
  | { kind: 'hold' };

export interface FaultRule {
  readonly method: string;
  readonly path: RegExp;
  /** Only when the request has this content type (e.g. to refuse OCI manifests). */
  readonly contentType?: string;
  readonly fault: Fault;
  /** How many matching requests get the fault; the rest pass. */
  times: number;
  /** Matching requests to let through before the fault starts. */
  skip?: number;
}

export interface ProxyLogEntry {
  readonly method: string;
  readonly path: string;
  readonly requestBytes: number;
  readonly fault?: Fault['kind'];
}

export interface FaultProxy {
  readonly host: string;
  readonly log: ProxyLogEntry[];
  rules: FaultRule[];
  stop(): Promise<void>;
}

/** An HTTP proxy in front of a registry that injects the faults real networks and registries produce. */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const [targetHost, targetPort] = target.split(':') as [string, string];
  const proxy: FaultProxy = { host: '', log: [], rules: [], stop: async () => undefined };

  const forward = (req: IncomingMessage, res: ServerResponse, fault: Fault | undefined, entry: { requestBytes: number }) => {
    const upstream = request({ host: targetHost, port: Number(targetPort), method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      if (fault?.kind === 'cut-response') {
        const total = Number(answer.headers['content-length'] ?? 0);
        let passed = 0;
        answer.on('data', (chunk: Buffer) => {
          const room = Math.floor(total / 2) - passed;
          if (room > 0) res.write(chunk.subarray(0, room));
          passed += chunk.length;
          if (passed >= total / 2) {
            answer.destroy();
            res.socket?.destroy();
          }
        });
      } else {
        answer.pipe(res);
      }
    });
    upstream.on('error', () => res.socket?.destroy());
    if (fault?.kind === 'cut-request') {
      const total = Number(req.headers['content-length'] ?? 0);
      let passed = 0;
      req.on('data', (chunk: Buffer) => {
        const room = Math.floor(total / 2) - passed;
        if (room > 0) upstream.write(chunk.subarray(0, Math.min(room, chunk.length)));
        passed += chunk.length;
        entry.requestBytes = Math.min(passed, Math.floor(total / 2));
        if (passed >= total / 2) {
          req.socket.destroy();
          // Let the registry take in what arrived before it sees the connection end.
          setTimeout(() => upstream.destroy(), 100);
        }
      });
      return;
    }
    req.on('data', (chunk: Buffer) => (entry.requestBytes += chunk.length));
    if (fault?.kind === 'corrupt-request') {
      // Flip one bit of the first byte: the length stays right, the digest does not.
      let first = true;
      req.on('data', (chunk: Buffer) => {
        if (first && chunk.length > 0) chunk[0] = chunk[0]! ^ 1;
        first = false;
        upstream.write(chunk);
      });
      req.on('end', () => upstream.end());
      return;
    }
    req.pipe(upstream);
  };

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const rule = proxy.rules.find(
      (r) => r.times > 0 && r.method === req.method && r.path.test(path) && (!r.contentType || req.headers['content-type'] === r.contentType),
    );
    let fault: Fault | undefined;
    if (rule && rule.skip) rule.skip--;
    else if (rule) {
      rule.times--;
      fault = rule.fault;
    }
    const entry = { method: req.method ?? '', path, requestBytes: 0, ...(fault ? { fault: fault.kind } : {}) };
    proxy.log.push(entry);
    if (fault?.kind === 'hold') return;
    if (fault?.kind === 'redirect') {
      res.writeHead(307, { location: `${fault.to}${req.url ?? '/'}` }).end();
      return;
    }
    if (fault?.kind === 'answer') {
      req.resume();
      req.on('end', () => res.writeHead(fault.status, fault.headers).end());
      return;
    }
    if (fault?.kind === 'drop-request') {
      const total = Number(req.headers['content-length'] ?? 0);
      req.on('data', (chunk: Buffer) => {
        entry.requestBytes += chunk.length;
        if (entry.requestBytes >= total / 2) req.socket.destroy();
      });
      return;
    }
    if (fault?.kind === 'status') {
      req.on('data', (chunk: Buffer) => (entry.requestBytes += chunk.length));
      req.on('end', () => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
        res.writeHead(fault.status, headers).end(JSON.stringify({ errors: [{ code: fault.code ?? 'UNAVAILABLE', message: 'injected fault' }] }));
      });
      return;
    }
    forward(req, res, fault, entry);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  Object.assign(proxy, {
    host: `127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return proxy;
}

/** Bytes of blob content sent to the registry (upload PATCHes and PUTs), as seen on the wire. */
export function uploadedBytes(log: readonly ProxyLogEntry[]): number {
  return log.filter((e) => /\/blobs\/uploads\//.test(e.path) && (e.method === 'PATCH' || e.method === 'PUT')).reduce((sum, e) => sum + e.requestBytes, 0);
}
