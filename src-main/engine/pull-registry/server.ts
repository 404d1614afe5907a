/**
 * Starts the pull registry on an address: 127.0.0.1 unless asked otherwise. It
 * has no authentication (it is read-only, but every package of its sources can
 * be pulled and every pull can start a build), which is why loopback is the default.
 */
import { createServer } from 'node:http';
import { isIP } from 'node:net';
import { LaminaError } from '../../../src-shared/errors.js';
import type { OnDemandImages } from './on-demand.js';
import { registryHandler, type RequestLog } from './routes.js';

export interface PullRegistryOptions {
  readonly images: OnDemandImages;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Where server-side failures are written (one line each). */
  readonly log?: RequestLog;
}

export interface RunningPullRegistry {
  /** `HOST:PORT`, as it goes in front of a pulled name. */
  readonly address: string;
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

export async function startPullRegistry(options: PullRegistryOptions): Promise<RunningPullRegistry> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer(registryHandler(options.images, options.log));
  // Every request is answered in full or dropped; no keep-alive connection may keep close() waiting.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new LaminaError(`port ${options.port} on ${host} is taken; pick another with --port`, 'port-taken')
          : new LaminaError(`cannot listen on ${host}: ${err.message}`, 'listen-failed'),
      ),
    );
    server.listen(options.port ?? 0, host, resolve);
  });
  const port = (server.address() as { port: number }).port;
  return {
    address: `${host.includes(':') ? `[${host}]` : host}:${port}`,
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
