/**
 * `lamina serve`: the app in a browser. Serves the built renderer and the API on
 * loopback with a per-run token, prints the URL to open, and runs until stopped.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { LaminaError } from '../../engine/errors.js';
import { openEngineServices } from '../../ipc/engine-services.js';
import { feedEvents } from '../../ipc/event-feed.js';
import { startWebServer } from '../../ipc/web-server.js';

interface ServeOptions {
  port: number;
  host: string;
  open?: boolean;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('a port is a number from 0 to 65535 (0: any free port)');
  return port;
}

/** Asks the desktop to open the URL; on failure the printed URL is still there. */
function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => process.stderr.write(`lamina: could not start ${command}; open the URL above yourself\n`));
  child.unref();
}

async function serve(options: ServeOptions): Promise<void> {
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
  process.stdout.write(`${server.url}\n`);
  process.stderr.write(`Lamina is serving ${services.dataDir} on ${server.origin}; open the URL above (it carries this run's token). Ctrl-C stops it.\n`);
  if (options.open) openInBrowser(server.launchUrl());

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  stopFeed();
  await server.close();
  await services.close();
}

export function addServeCommand(program: Command): void {
  program
    .command('serve')
    .description('open the app in a browser: serve it on 127.0.0.1 with a per-run token and print the URL')
    .option('--port <n>', 'port to listen on; 0 picks a free one', parsePort, 0)
    .option('--host <address>', 'loopback address to listen on', '127.0.0.1')
    .option('--open', 'open the URL in the default browser')
    .action((options: ServeOptions) => serve(options));
}
