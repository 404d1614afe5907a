import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src-main/engine/registry/client.js';
import { pushImage } from '../../src-main/engine/registry/push.js';
import { makeTestImage } from './fixtures/test-image.js';
import { startRegistry, type RunningRegistry } from './servers/registry-server.js';

describe('a registry with a self-signed certificate', () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lamina-tls-'));
    const certFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    registry = await startRegistry({ kind: 'none' }, { tls: { certFile, keyFile } });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('is refused with one line naming --tls-verify=false while certificates are verified', async () => {
    const client = new RegistryClient({ registry: registry.host });
    await expect(client.listTags('tls/app')).rejects.toThrow(/secure connection to 127\.0\.0\.1:\d+ failed .*pass --tls-verify=false/);
    await client.close();
  });

  it('takes a push over HTTPS with --tls-verify=false, and skopeo reads it back', async () => {
    const client = new RegistryClient({ registry: registry.host, tlsVerify: false });
    const image = await makeTestImage([{ 'tls.txt': 'over https' }]);
    const result = await pushImage(client, { repository: 'tls/app', tag: 'v1' }, image);
    await client.close();
    expect((await client.transport.baseUrl()).protocol).toBe('https:');
    const out = execFileSync('skopeo', ['inspect', '--tls-verify=false', `docker://${registry.host}/tls/app:v1`], { encoding: 'utf8' });
    expect((JSON.parse(out) as { Digest: string }).Digest).toBe(result.digest);
  });
});
