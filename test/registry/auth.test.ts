import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src-main/engine/registry/client.js';
import { readRemoteImage } from '../../src-main/engine/registry/remote-image.js';
import { pushImage } from '../../src-main/engine/registry/push.js';
import { makeTestImage, noise } from './fixtures/test-image.js';
import { startFaultProxy, type FaultProxy } from './servers/fault-proxy.js';
import { startRegistry, type RunningRegistry } from './servers/registry-server.js';
import { startTokenServer, type TokenServer } from './servers/token-server.js';

const fastRetry = { attempts: 4, baseDelayMs: 20, maxDelayMs: 100, maxRetryAfterMs: 5_000 };
const users = { alice: 'wonder:land', bob: 'builder' };

/** Asynchronous on purpose: the token server answering skopeo runs in this very process. */
async function skopeoDigest(ref: string, creds: string): Promise<string> {
  const { stdout } = await promisify(execFile)('skopeo', ['inspect', '--tls-verify=false', '--creds', creds, `docker://${ref}`], { encoding: 'utf8' });
  return (JSON.parse(stdout) as { Digest: string }).Digest;
}

describe('htpasswd basic auth', () => {
  let registry: RunningRegistry;
  let proxy: FaultProxy;
  beforeAll(async () => {
    registry = await startRegistry({ kind: 'htpasswd', users });
    proxy = await startFaultProxy(registry.host);
  });
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it('pushes with the right password, and skopeo with the same credentials sees the digest', async () => {
    const client = new RegistryClient({ registry: registry.host, credentials: { username: 'alice', password: users.alice } });
    const image = await makeTestImage([{ 'basic.txt': 'basic auth' }]);
    const result = await pushImage(client, { repository: 'secure/app', tag: 'v1' }, image);
    await client.close();
    expect(await skopeoDigest(`${registry.host}/secure/app:v1`, `alice:${users.alice}`)).toBe(result.digest);
  });

  it('follows a blob redirect to another host without sending it the Authorization header', async () => {
    const client = new RegistryClient({ registry: proxy.host, credentials: { username: 'alice', password: users.alice } });
    const image = await makeTestImage([{ 'redirected.bin': noise(40_000, 30) }]);
    await pushImage(client, { repository: 'secure/redirect', tag: 'v1' }, image);
    // A "storage" host that serves blobs the way S3 behind a registry would, noting what it was sent.
    const seen: (string | undefined)[] = [];
    const storage = createServer((req, res) => {
      seen.push(req.headers.authorization);
      const basic = `Basic ${Buffer.from(`alice:${users.alice}`).toString('base64')}`;
      fetch(`http://${registry.host}${req.url}`, { headers: { authorization: basic } })
        .then(async (answer) => res.writeHead(answer.status, { 'content-type': 'application/octet-stream' }).end(Buffer.from(await answer.arrayBuffer())))
        .catch(() => res.writeHead(502).end());
    });
    await new Promise<void>((resolve) => storage.listen(0, '127.0.0.1', resolve));
    const port = (storage.address() as { port: number }).port;
    proxy.rules = [{ method: 'GET', path: /\/blobs\/sha256:/, fault: { kind: 'redirect', to: `http://127.0.0.1:${port}` }, times: 10 }];
    try {
      const pulled = (await readRemoteImage(client, 'secure/redirect', 'v1')).image;
      const layer = await client.getBlobBytes('secure/redirect', image.layerDigests[0]!, image.blobs[1]!.size);
      expect(layer.length).toBe(image.blobs[1]!.size);
      expect(pulled.manifestDigest).toBe(image.manifestDigest);
      expect(seen).toHaveLength(2);
      expect(seen.every((h) => h === undefined)).toBe(true);
    } finally {
      proxy.rules = [];
      storage.close();
      await client.close();
    }
  });

  it('refuses a wrong password with one line, without retrying', async () => {
    const client = new RegistryClient({ registry: proxy.host, credentials: { username: 'alice', password: 'wrong-secret' }, retry: fastRetry });
    proxy.log.length = 0;
    const image = await makeTestImage([{ 'basic.txt': 'nope' }]);
    const failure = await pushImage(client, { repository: 'secure/app', tag: 'v2' }, image).catch((e: Error) => e);
    await client.close();
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/refused the credentials to check manifest sha256:[0-9a-f]{64}; check the user name and password/);
    expect((failure as Error).message).not.toContain('wrong-secret');
    // The ping, one try and one fresh try: no storm.
    expect(proxy.log.length).toBe(3);
  });

  it('tells an anonymous caller to log in', async () => {
    const client = new RegistryClient({ registry: registry.host });
    await expect(client.listTags('secure/app')).rejects.toThrow(`${registry.host} needs a login: pass --creds USER:PASS`);
    await client.close();
  });
});

describe('token auth (distribution checking JWTs signed by our token server)', () => {
  let tokens: TokenServer;
  let registry: RunningRegistry;
  beforeAll(async () => {
    tokens = await startTokenServer(users);
    registry = await startRegistry({ kind: 'token', realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, certFile: tokens.certFile });
  });
  afterAll(async () => {
    await registry?.stop();
    await tokens?.stop();
  });

  it('pushes with a bearer token, one token request per scope, and pulls back what it pushed', async () => {
    const client = new RegistryClient({ registry: registry.host, credentials: { username: 'bob', password: users.bob } });
    const image = await makeTestImage([{ 'one.txt': 'one' }, { 'two.txt': 'two' }, { 'three.txt': 'three' }]);
    tokens.requests.length = 0;
    const result = await pushImage(client, { repository: 'tok/app', tag: 'v1' }, image, { jobs: 4 });
    expect(result.digest).toBe(image.manifestDigest);
    expect(tokens.requests).toEqual([{ user: 'bob', scopes: ['repository:tok/app:pull,push'] }]);

    const pulled = (await readRemoteImage(client, 'tok/app', 'v1')).image;
    expect(pulled.manifestDigest).toBe(image.manifestDigest);
    expect(await client.listTags('tok/app')).toEqual(['v1']);
    expect(await client.catalog()).toContain('tok/app');
    await client.close();
    expect(await skopeoDigest(`${registry.host}/tok/app:v1`, `bob:${users.bob}`)).toBe(image.manifestDigest);
  });

  it('lets an anonymous caller pull but not push, with one clear line', async () => {
    const anonymous = new RegistryClient({ registry: registry.host });
    expect((await readRemoteImage(anonymous, 'tok/app', 'v1')).image.manifest.layers).toHaveLength(3);
    const image = await makeTestImage([{ 'anon.txt': 'anon' }]);
    await expect(pushImage(anonymous, { repository: 'tok/app', tag: 'anon' }, image)).rejects.toThrow(`${registry.host} needs a login: pass --creds USER:PASS`);
    await anonymous.close();
  });

  it('says the password is wrong when the token service refuses it', async () => {
    const client = new RegistryClient({ registry: registry.host, credentials: { username: 'bob', password: 'not-his' } });
    const failure = await client.listTags('tok/app').catch((e: Error) => e);
    await client.close();
    expect((failure as Error).message).toMatch(/refused the user name or password .*check them/);
    expect((failure as Error).message).not.toContain('not-his');
  });

  it('caches a token per scope, and fetches a new one once when the registry refuses it', async () => {
    const client = new RegistryClient({ registry: registry.host, credentials: { username: 'bob', password: users.bob } });
    tokens.requests.length = 0;
    tokens.expireNext = 1;
    expect(await client.listTags('tok/app')).toEqual(['v1']);
    expect(tokens.requests).toHaveLength(2);
    await client.listTags('tok/app');
    expect(tokens.requests).toHaveLength(2);
    await client.close();
  });
});
