/**
 * Company networks: a registry whose certificate comes from a CA of our own
 * (trusted through a certs.d folder or --cert-dir, refused without), one that
 * wants a client certificate, a push through Debian's tinyproxy (HTTPS_PROXY) and
 * NO_PROXY skipping it, and registries.conf mirrors and insecure entries.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src-main/engine/registry/client.js';
import { pullClient } from '../../src-main/engine/registry/pull-client.js';
import { pushImage } from '../../src-main/engine/registry/push.js';
import { parseReference } from '../../src-shared/reference.js';
import { freshHome, runCli } from '../cli/run-cli.js';
import { makeTestCa, type TestCa } from './fixtures/test-ca.js';
import { makeTestImage } from './fixtures/test-image.js';
import { startRegistry, type RunningRegistry } from './servers/registry-server.js';
import { startTinyproxy, type RunningProxy } from './servers/tinyproxy.js';

const ENV_KEYS = ['LAMINA_CERTS_D_ROOTS', 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'CONTAINERS_REGISTRIES_CONF'];
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
function resetEnv(): void {
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
  // No certs.d folder of the machine's may decide a test.
  process.env['LAMINA_CERTS_D_ROOTS'] = '';
}

/** A certs.d root with HOST:PORT/ca.crt (and the client pair when asked), as podman keeps them. */
function certsDRoot(host: string, ca: TestCa, withClient = false): string {
  const root = mkdtempSync(join(tmpdir(), 'lamina-certs-d-'));
  const dir = join(root, host);
  mkdirSync(dir);
  copyFileSync(ca.caFile, join(dir, 'ca.crt'));
  if (withClient) {
    copyFileSync(ca.clientCertFile, join(dir, 'client.cert'));
    copyFileSync(ca.clientKeyFile, join(dir, 'client.key'));
  }
  return root;
}

let ca: TestCa;
let tlsRegistry: RunningRegistry;
let proxy: RunningProxy;
beforeAll(async () => {
  resetEnv();
  ca = makeTestCa();
  tlsRegistry = await startRegistry({ kind: 'none' }, { tls: { certFile: ca.certFile, keyFile: ca.keyFile } });
  proxy = await startTinyproxy();
});
afterAll(async () => {
  resetEnv();
  await tlsRegistry?.stop();
  await proxy?.stop();
});
afterEach(resetEnv);

describe('a registry whose certificate a company CA signed', () => {
  it('is refused while the CA is not trusted, with a line naming certs.d and --tls-verify=false', async () => {
    const client = new RegistryClient({ registry: tlsRegistry.host });
    await expect(client.listTags('net/app')).rejects.toThrow(/secure connection to 127\.0\.0\.1:\d+ failed .*certs\.d\/127\.0\.0\.1:\d+\/.*--tls-verify=false/);
    await client.close();
  });

  it('takes a verified push once the CA is in its certs.d folder, and skopeo agrees with --cert-dir', async () => {
    const root = certsDRoot(tlsRegistry.host, ca);
    process.env['LAMINA_CERTS_D_ROOTS'] = `/nonexistent:${root}`;
    const client = new RegistryClient({ registry: tlsRegistry.host });
    const result = await pushImage(client, { repository: 'net/app', tag: 'v1' }, await makeTestImage([{ 'ca.txt': 'trusted' }]));
    expect((await client.transport.baseUrl()).protocol).toBe('https:');
    await client.close();
    const out = execFileSync('skopeo', ['inspect', '--cert-dir', join(root, tlsRegistry.host), `docker://${tlsRegistry.host}/net/app:v1`], { encoding: 'utf8' });
    expect((JSON.parse(out) as { Digest: string }).Digest).toBe(result.digest);
  });

  it('trusts a --cert-dir folder given directly, and a missing folder is one line', async () => {
    const root = certsDRoot(tlsRegistry.host, ca);
    const client = new RegistryClient({ registry: tlsRegistry.host, certDir: join(root, tlsRegistry.host) });
    expect(await client.listTags('net/app')).toEqual(['v1']);
    await client.close();
    expect(() => new RegistryClient({ registry: tlsRegistry.host, certDir: join(root, 'missing') })).toThrow(/cannot read the certificates folder .*missing \(ENOENT\); check --cert-dir/);
  });

  it('trusts the CA for the registry whose folder has it only, not for every later connection', async () => {
    process.env['LAMINA_CERTS_D_ROOTS'] = certsDRoot(tlsRegistry.host, ca);
    const trusting = new RegistryClient({ registry: tlsRegistry.host });
    expect(await trusting.listTags('net/app')).toEqual(['v1']);
    await trusting.close();
    resetEnv();
    const plain = new RegistryClient({ registry: tlsRegistry.host });
    await expect(plain.listTags('net/app')).rejects.toThrow(/secure connection to 127\.0\.0\.1:\d+ failed/);
    await plain.close();
  });

  it('trusts a CA in the system bundle that SSL_CERT_FILE names', async () => {
    const bundle = join(mkdtempSync(join(tmpdir(), 'lamina-bundle-')), 'ca-bundle.crt');
    writeFileSync(bundle, readFileSync(ca.caFile));
    const env = { LAMINA_HOME: freshHome(), LAMINA_CERTS_D_ROOTS: '' };
    const inspect = ['inspect', `docker://${tlsRegistry.host}/net/app:v1`, '--json'];
    expect((await runCli(inspect, env)).stderr).toMatch(/secure connection to 127\.0\.0\.1:\d+ failed/);
    const trusted = await runCli(inspect, { ...env, SSL_CERT_FILE: bundle });
    expect(trusted.stderr).toBe('');
    expect((JSON.parse(trusted.stdout) as { layers: unknown[] }).layers.length).toBe(1);
  });
});

describe('a registry that wants a client certificate', () => {
  let mtls: RunningRegistry;
  beforeAll(async () => {
    mtls = await startRegistry({ kind: 'none' }, { tls: { certFile: ca.certFile, keyFile: ca.keyFile, clientCaFile: ca.caFile } });
  });
  afterAll(async () => {
    await mtls?.stop();
  });

  it('is refused without client.cert/client.key and answers with them', async () => {
    process.env['LAMINA_CERTS_D_ROOTS'] = certsDRoot(mtls.host, ca);
    const without = new RegistryClient({ registry: mtls.host });
    await expect(without.listTags('net/app')).rejects.toThrow(/127\.0\.0\.1:\d+/);
    await without.close();
    process.env['LAMINA_CERTS_D_ROOTS'] = certsDRoot(mtls.host, ca, true);
    const withCert = new RegistryClient({ registry: mtls.host });
    await pushImage(withCert, { repository: 'mtls/app', tag: 'v1' }, await makeTestImage([{ 'm.txt': 'mutual' }]));
    expect(await withCert.listTags('mtls/app')).toEqual(['v1']);
    await withCert.close();
  });

  it('says which file is missing when a client certificate has no key', () => {
    const root = certsDRoot(mtls.host, ca);
    copyFileSync(ca.clientCertFile, join(root, mtls.host, 'client.cert'));
    process.env['LAMINA_CERTS_D_ROOTS'] = root;
    expect(() => new RegistryClient({ registry: mtls.host })).toThrow(/client\.cert has no key beside it \(client\.key\)/);
  });
});

describe('a proxy from the environment', () => {
  it('carries the push through tinyproxy (its log shows the CONNECT) when HTTPS_PROXY names it', async () => {
    process.env['LAMINA_CERTS_D_ROOTS'] = certsDRoot(tlsRegistry.host, ca);
    process.env['HTTPS_PROXY'] = proxy.url;
    const before = proxy.log();
    const client = new RegistryClient({ registry: tlsRegistry.host });
    await pushImage(client, { repository: 'proxied/app', tag: 'v1' }, await makeTestImage([{ 'p.txt': 'through the proxy' }]));
    await client.close();
    expect(proxy.log().slice(before.length)).toMatch(new RegExp(`CONNECT 127\\.0\\.0\\.1:${tlsRegistry.port}`));
  });

  it('goes straight to the registry when NO_PROXY names its host', async () => {
    process.env['LAMINA_CERTS_D_ROOTS'] = certsDRoot(tlsRegistry.host, ca);
    process.env['HTTPS_PROXY'] = proxy.url;
    process.env['NO_PROXY'] = 'example.invalid,127.0.0.1';
    const before = proxy.log();
    const client = new RegistryClient({ registry: tlsRegistry.host });
    await pushImage(client, { repository: 'direct/app', tag: 'v1' }, await makeTestImage([{ 'd.txt': 'direct' }]));
    await client.close();
    expect(proxy.log().slice(before.length)).not.toMatch(/CONNECT/);
  });

  it('fails with one line when the proxy is down, instead of going around it', async () => {
    process.env['LAMINA_CERTS_D_ROOTS'] = certsDRoot(tlsRegistry.host, ca);
    process.env['HTTPS_PROXY'] = 'http://127.0.0.1:1';
    const client = new RegistryClient({ registry: tlsRegistry.host });
    await expect(client.listTags('net/app')).rejects.toThrow(/^[^\n]+$/);
    await client.close();
  });
});

describe('registries.conf', () => {
  let primary: RunningRegistry;
  let mirror: RunningRegistry;
  beforeAll(async () => {
    [primary, mirror] = await Promise.all([startRegistry(), startRegistry()]);
    const client = new RegistryClient({ registry: mirror.host });
    await pushImage(client, { repository: 'cache/team/app', tag: 'v1' }, await makeTestImage([{ 'mirror.txt': 'from the mirror' }]));
    await client.close();
  });
  afterAll(async () => {
    await primary?.stop();
    await mirror?.stop();
  });

  function writeConf(text: string): void {
    const file = join(mkdtempSync(join(tmpdir(), 'lamina-regconf-')), 'registries.conf');
    writeFileSync(file, text);
    process.env['CONTAINERS_REGISTRIES_CONF'] = file;
  }

  it('pulls from a mirror that has the image, and from the registry itself when the mirror lacks it', async () => {
    writeConf(`[[registry]]\nprefix = "${primary.host}/team"\nlocation = "${primary.host}/team"\n\n[[registry.mirror]]\nlocation = "${mirror.host}/cache/team"\n`);
    const viaMirror = await pullClient(parseReference(`${primary.host}/team/app:v1`), {});
    expect(viaMirror.reference).toMatchObject({ registry: mirror.host, repository: 'cache/team/app' });
    await viaMirror.client.close();
    const direct = await pullClient(parseReference(`${primary.host}/team/other:v1`), {});
    expect(direct.reference).toMatchObject({ registry: primary.host, repository: 'team/other' });
    await direct.client.close();
  });

  it('skips the mirror for a tag when mirror-by-digest-only is set', async () => {
    writeConf(`[[registry]]\nprefix = "${primary.host}/team"\nmirror-by-digest-only = true\n[[registry.mirror]]\nlocation = "${mirror.host}/cache/team"\n`);
    const got = await pullClient(parseReference(`${primary.host}/team/app:v1`), {});
    expect(got.reference.registry).toBe(primary.host);
    await got.client.close();
  });

  it('turns TLS checks off for a registry marked insecure, and refuses a blocked one', async () => {
    writeConf(`[[registry]]\nlocation = "${tlsRegistry.host}"\ninsecure = true\n`);
    const client = new RegistryClient({ registry: tlsRegistry.host });
    expect(await client.listTags('net/app')).toEqual(['v1']);
    await client.close();
    writeConf(`[[registry]]\nprefix = "${tlsRegistry.host}"\nblocked = true\n`);
    expect(() => new RegistryClient({ registry: tlsRegistry.host })).toThrow(/is blocked by .*registries\.conf \(prefix "127\.0\.0\.1:\d+"\)/);
  });

  it('says which file is broken', () => {
    writeConf('[[registry]\nprefix = ');
    expect(() => new RegistryClient({ registry: tlsRegistry.host })).toThrow(/registries\.conf is not valid TOML/);
  });
});
