/**
 * What `lamina serve` (serve.ts) does: serves the built renderer and the API on
 * loopback with a per-run token, prints the URL to open, and runs until stopped;
 * with --registry, the pull registry instead.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LaminaError } from '../../../src-shared/errors.js';
import { isLoopback } from '../../engine/pull-registry/server.js';
import { openEngineServices } from '../../ipc/engine-services.js';
import { feedEvents, feedImageOpens } from '../../ipc/event-feed.js';
import { startWebServer } from '../../ipc/web-server.js';
import type { ServeOptions } from './serve.js';

/** Asks the desktop to open the URL; on failure the printed URL is still there. */
function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => process.stderr.write(`lamina: could not start ${command}; open the URL above yourself\n`));
  child.unref();
}

function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** The pull registry alone: no app, no token (it is read-only), loopback unless --listen says otherwise. */
async function serveRegistry(options: ServeOptions): Promise<void> {
  const host = options.listen ?? options.host;
  if (!isLoopback(host)) {
    process.stderr.write(
      `lamina: warning: the registry listens on ${host}, not only on this machine: anyone who can reach it can pull every package of its sources and start builds here (there is no authentication)\n`,
    );
  }
  const services = openEngineServices();
  let address;
  try {
    ({ address } = await services.pullRegistry.start({
      host,
      port: options.port,
      ...(options.source !== undefined ? { source: options.source } : {}),
      log: (line) => process.stderr.write(`lamina: ${line}\n`),
    }));
  } catch (err) {
    await services.close();
    throw err;
  }
  process.stdout.write(`${address}\n`);
  process.stderr.write(
    `Lamina's pull registry is serving on ${address}: pull ${address}/PACKAGE[/PACKAGE...]:latest (plain HTTP; podman and skopeo need --tls-verify=false). Ctrl-C stops it.\n`,
  );
  await untilStopped();
  await services.close();
}

export async function serve(options: ServeOptions): Promise<void> {
  if (options.registry) return serveRegistry(options);
  if (options.source !== undefined || options.listen !== undefined) {
    throw new LaminaError('--source and --listen go with --registry; the app itself is served on loopback only', 'bad-flags');
  }
  // out/main/cli.js -> out/renderer: the same files the Electron window loads.
  const rendererDir = join(import.meta.dirname, '..', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new LaminaError(`the app's pages are not built (${rendererDir} is missing); run \`npm run build\` first`, 'serve-not-built');
  }
  const services = openEngineServices();
  let server;
  try {
    server = await startWebServer({ handlers: services.handlers, rendererDir, host: options.host, port: options.port });
  } catch (err) {
    await services.close();
    throw err;
  }
  const stopFeed = feedEvents(services.runner, server.sink);
  const stopOpensFeed = feedImageOpens(services.imageSessions, server.sink);
  process.stdout.write(`${server.url}\n`);
  process.stderr.write(`Lamina is serving ${services.dataDir} on ${server.origin}; open the URL above (it carries this run's token). Ctrl-C stops it.\n`);
  if (options.open) openInBrowser(server.launchUrl());

  await untilStopped();
  stopFeed();
  stopOpensFeed();
  await server.close();
  await services.close();
}
