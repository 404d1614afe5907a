/**
 * `lamina serve`: the app in a browser. Serves the built renderer and the API on
 * loopback with a per-run token, prints the URL to open, and runs until stopped.
 * `lamina serve --registry` serves the pull registry instead: images built on
 * demand from the names pulled. The serving (serve-run.ts) is loaded when it runs.
 */
import { InvalidArgumentError, type Command } from 'commander';

export interface ServeOptions {
  port: number;
  host: string;
  open?: boolean;
  registry?: boolean;
  source?: string;
  listen?: string;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('a port is a number from 0 to 65535 (0: any free port)');
  return port;
}

export function addServeCommand(program: Command): void {
  program
    .command('serve')
    .description('open the app in a browser: serve it on 127.0.0.1 with a per-run token and print the URL (--registry: serve images built from the names pulled)')
    .option('--port <n>', 'port to listen on; 0 picks a free one', parsePort, 0)
    .option('--host <address>', 'loopback address to listen on', '127.0.0.1')
    .option('--open', 'open the URL in the default browser')
    .option('--registry', 'serve the pull registry instead of the app (prints its HOST:PORT): pulling HOST:PORT/PKG[/PKG...]:TAG builds that image on demand')
    .option('--source <src>', "with --registry: the package source of tag latest (default: Settings' pull registry source)")
    .option('--listen <address>', 'with --registry: listen on this address instead of 127.0.0.1 (anyone who reaches it can pull and start builds)')
    .action(async (options: ServeOptions) => (await import('./serve-run.js')).serve(options));
}
