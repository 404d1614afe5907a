import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './free-port.js';

export interface RunningProxy {
  /** http://127.0.0.1:PORT, as HTTPS_PROXY takes it. */
  readonly url: string;
  /** What tinyproxy logged so far (its CONNECT and request lines). */
  log(): string;
  stop(): Promise<void>;
}

/** Debian's tinyproxy on a free loopback port, in the foreground, logging every connection. */
export async function startTinyproxy(): Promise<RunningProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'lamina-proxy-'));
  const port = await freePort();
  const logFile = join(dir, 'tinyproxy.log');
  const config = join(dir, 'tinyproxy.conf');
  writeFileSync(
    config,
    [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 60', `LogFile "${logFile}"`, 'LogLevel Connect', 'MaxClients 20', 'Allow 127.0.0.1', 'DisableViaHeader Yes', ''].join('\n'),
  );
  writeFileSync(logFile, '');
  const child = spawn('tinyproxy', ['-d', '-c', config], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(port);
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => readFileSync(logFile, 'utf8'),
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
