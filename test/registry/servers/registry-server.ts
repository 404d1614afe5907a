import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './free-port.js';

export type RegistryAuth =
  | { kind: 'none' }
  | { kind: 'htpasswd'; users: Record<string, string> }
  | { kind: 'token'; realm: string; service: string; issuer: string; certFile: string };

export interface RunningRegistry {
  /** host:port, as a reference names it. */
  readonly host: string;
  readonly port: number;
  readonly dir: string;
  stop(): Promise<void>;
}

/**
 * Starts Debian's docker-registry (distribution 2.8) on a free loopback port with
 * a config of our own and storage in a temp dir. `relativeUrls` makes it answer
 * relative Location headers, the other form clients must handle.
 */
export async function startRegistry(
  auth: RegistryAuth = { kind: 'none' },
  options: { relativeUrls?: boolean; tls?: { certFile: string; keyFile: string; clientCaFile?: string } } = {},
): Promise<RunningRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'lamina-registry-'));
  const port = await freePort();
  let authYaml = '';
  if (auth.kind === 'htpasswd') {
    const file = join(dir, 'htpasswd');
    writeFileSync(file, '');
    for (const [user, pass] of Object.entries(auth.users)) execFileSync('htpasswd', ['-bB', file, user, pass], { stdio: 'ignore' });
    authYaml = `auth:\n  htpasswd:\n    realm: lamina-test\n    path: ${file}\n`;
  } else if (auth.kind === 'token') {
    authYaml = `auth:\n  token:\n    realm: ${auth.realm}\n    service: ${auth.service}\n    issuer: ${auth.issuer}\n    rootcertbundle: ${auth.certFile}\n`;
  }
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    `version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${join(dir, 'data')}
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:${port}
  secret: lamina-test-secret
  relativeurls: ${options.relativeUrls ? 'true' : 'false'}
${options.tls ? `  tls:\n    certificate: ${options.tls.certFile}\n    key: ${options.tls.keyFile}\n` : ''}${options.tls?.clientCaFile ? `    clientcas:\n      - ${options.tls.clientCaFile}\n` : ''}${authYaml}`,
  );
  const log = openSync(join(dir, 'registry.log'), 'a');
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', log, log] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(port);
  return {
    host: `127.0.0.1:${port}`,
    port,
    dir,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
