/**
 * The HTTP side of `lamina serve`: the built renderer as static files and the
 * contract over WebSocket, on loopback only, behind the per-run token.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { LaminaError } from '../../src-shared/errors.js';
import type { Handlers } from '../../src-shared/ipc/contract.js';
import type { EventSink } from './event-feed.js';
import { rendererFile } from './renderer-file.js';
import { checkLoopback, newToken, WebAccess } from './web-access.js';
import { API_PATH } from '../../src-shared/ipc/ws-protocol.js';
import { attachWebSocketTransport } from './ws-transport.js';

export interface WebServerOptions {
  readonly handlers: Handlers;
  /** The built renderer (out/renderer). */
  readonly rendererDir: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Fixed only by tests; otherwise a new random token per run. */
  readonly token?: string;
}

export interface WebServer {
  /** The URL to open, token included. */
  readonly url: string;
  /** A fresh one-time URL for handing to a browser opener (see WebAccess.launchUrl). */
  readonly launchUrl: () => string;
  readonly origin: string;
  readonly port: number;
  readonly sink: EventSink;
  readonly close: () => Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function contentSecurityPolicy(origin: string): string {
  const ws = origin.replace(/^http:/, 'ws:');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${ws}${API_PATH}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  checkLoopback(host);
  const token = options.token ?? newToken();
  const server = createServer();

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new LaminaError(`port ${options.port} on ${host} is in use; pick another with --port, or --port 0 for any free one`, 'serve-port-in-use')
          : err,
      ),
    );
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const access = new WebAccess(host, port, token);
  const csp = contentSecurityPolicy(access.origin);
  const transport = attachWebSocketTransport(server, { handlers: options.handlers, refuse: access.refuseSocket });

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    void serveFile(access, csp, options.rendererDir, request, response);
  });

  return {
    url: access.openUrl,
    launchUrl: () => access.launchUrl(),
    origin: access.origin,
    port,
    sink: transport.sink,
    close: async () => {
      transport.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function refuse(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(`${text}\n`);
}

async function serveFile(access: WebAccess, csp: string, root: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (!access.hostIsOurs(request)) return refuse(response, 403, 'wrong Host header');
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405, 'only GET and HEAD');
  const url = new URL(request.url ?? '/', access.origin);
  const fromUrl = url.searchParams.get('token');
  const launch = url.searchParams.get('launch');
  if (fromUrl !== null || launch !== null) {
    if (fromUrl !== null && !access.tokenMatches(fromUrl)) return refuse(response, 401, 'wrong token; open the URL that `lamina serve` printed');
    if (fromUrl === null && !access.takeLaunchCode(launch!)) {
      return refuse(response, 401, 'this launch link was used or is over a minute old; open the URL that `lamina serve` printed');
    }
    // Trade the token for a cookie and drop it from the address bar and history.
    response.writeHead(303, { Location: url.pathname, 'Set-Cookie': access.setCookie(), 'Cache-Control': 'no-store' });
    response.end();
    return;
  }
  if (!access.tokenMatches(access.cookieToken(request))) {
    return refuse(response, 401, 'missing token; open the URL that `lamina serve` printed');
  }
  const file = rendererFile(root, url.pathname);
  if (file === null) return refuse(response, 404, 'not found');
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return refuse(response, 404, 'not found');
  response.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  if (request.method === 'HEAD') return void response.end();
  createReadStream(file).pipe(response);
}
