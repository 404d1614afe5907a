/**
 * What every e2e file needs: the built CLI's `lamina serve` with its own data dir,
 * and Debian's Chromium with a page that records console errors, CSP violations
 * and failed requests (a test asserts there were none).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const SHOTS = 'test-results';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface ServeProcess {
  readonly server: ChildProcess;
  /** The URL `lamina serve` printed, with its token. */
  readonly url: string;
  /** SIGTERM, then wait for the exit (a no-op when it already exited). */
  readonly stop: () => Promise<void>;
}

export function checkAppBuilt(): void {
  if (!existsSync('out/main/cli.js') || !existsSync('out/renderer/index.html')) {
    throw new Error('the app is not built: run `npm run build` (npm test does) before the e2e tests');
  }
}

/** `lamina serve --port 0` on a data dir; resolves once it printed its URL. */
export async function startServe(home: string): Promise<ServeProcess> {
  checkAppBuilt();
  const server = spawn(process.execPath, ['bin/lamina.mjs', 'serve', '--port', '0'], {
    env: { ...process.env, LAMINA_HOME: home },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [url] = (await once(createInterface({ input: server.stdout! }), 'line')) as [string];
  return {
    server,
    url,
    stop: async () => {
      if (server.exitCode !== null || server.signalCode !== null) return;
      server.kill('SIGTERM');
      await once(server, 'exit');
    },
  };
}

export interface BrowserSession {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and warnings, page errors, failed requests and HTTP errors seen so far. */
  readonly problems: string[];
}

export async function openBrowser(): Promise<BrowserSession> {
  mkdirSync(SHOTS, { recursive: true });
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'lamina-chromium-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    // A reload or navigation cancels what was still loading (a worker script, say): not a failure.
    const reason = req.failure()?.errorText ?? 'unknown';
    if (reason !== 'net::ERR_ABORTED') problems.push(`request failed (${reason}): ${req.url()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return { context, page, problems };
}
