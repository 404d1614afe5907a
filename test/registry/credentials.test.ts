import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupCredentials, parseCredsFlag, storedCredentials } from '../../src-main/engine/registry/credentials.js';
import { writeCredentialHelper } from './credential-helper.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('credentials from the places docker, podman and skopeo keep them', () => {
  const root = mkdtempSync(join(tmpdir(), 'lamina-creds-'));
  const bin = join(root, 'bin');
  const asked = join(root, 'helper-asked.log');
  const savedPath = process.env.PATH;
  /** The servers the helper was asked for since the last call, in order. */
  const helperAsked = (): string[] => {
    if (!existsSync(asked)) return [];
    const lines = readFileSync(asked, 'utf8').split('\n').filter(Boolean);
    rmSync(asked);
    return lines;
  };
  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => ({ HOME: root, XDG_CONFIG_HOME: join(root, 'config'), ...extra });
  const write = (file: string, content: unknown) => {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  };

  beforeAll(() => {
    // A real credential helper speaking docker's protocol: registry on stdin, JSON on stdout.
    writeCredentialHelper(bin, 'lamina-test', asked, {
      'https://index.docker.io/v1/': { username: 'hub-helper', secret: 'hub-secret' },
      'docker.io': { username: 'hub-by-name', secret: 'x' },
      'ghcr.example': { username: 'gu', secret: 'gs' },
      'helper.example': { username: 'hu', secret: 'hs' },
      'store.example': { username: 'su', secret: 'ss' },
      'token.example': { username: '<token>', secret: 'refresh-me' },
    });
    process.env.PATH = `${bin}:${savedPath}`;
  });
  afterAll(() => {
    process.env.PATH = savedPath;
  });

  it('splits --creds at the first colon', () => {
    expect(parseCredsFlag('user:pa:ss')).toEqual({ username: 'user', password: 'pa:ss' });
    expect(() => parseCredsFlag('nopassword')).toThrow(/--creds must be USER:PASSWORD/);
  });

  it('reads docker config.json auths, credHelpers and credsStore', async () => {
    const docker = join(root, 'docker');
    write(join(docker, 'config.json'), {
      auths: { 'plain.example:5000': { auth: b64('pu:pp') }, 'https://index.docker.io/v1/': { auth: b64('hubuser:hubpass') } },
      credHelpers: { 'helper.example': 'lamina-test' },
      credsStore: 'lamina-test',
    });
    const e = env({ DOCKER_CONFIG: docker });
    expect(await lookupCredentials('plain.example:5000', e)).toEqual({ username: 'pu', password: 'pp' });
    expect(await lookupCredentials('docker.io', e)).toEqual({ username: 'hubuser', password: 'hubpass' });
    expect(await lookupCredentials('helper.example', e)).toEqual({ username: 'hu', password: 'hs' });
    expect(await lookupCredentials('store.example', e)).toEqual({ username: 'su', password: 'ss' });
    expect(await lookupCredentials('token.example', e)).toEqual({ username: '', password: '', identityToken: 'refresh-me' });
    expect(await lookupCredentials('unknown.example', e)).toBeUndefined();
  });

  it('asks helpers for Docker Hub by the address docker login files it under, and for other hosts by host:port', async () => {
    const docker = join(root, 'docker-hub-store');
    write(join(docker, 'config.json'), { credsStore: 'lamina-test' });
    const e = env({ DOCKER_CONFIG: docker });
    helperAsked();
    expect(await lookupCredentials('docker.io', e)).toEqual({ username: 'hub-helper', password: 'hub-secret' });
    expect(helperAsked()).toEqual(['https://index.docker.io/v1/']);
    expect(await lookupCredentials('ghcr.example', e)).toEqual({ username: 'gu', password: 'gs' });
    expect(helperAsked()).toEqual(['ghcr.example']);
  });

  it.each(['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'])('takes a Docker Hub credHelpers entry filed as %s', async (key) => {
    const docker = join(root, `docker-hub-helper-${key.replace(/\W/g, '_')}`);
    write(join(docker, 'config.json'), { credHelpers: { [key]: 'lamina-test' } });
    helperAsked();
    expect(await lookupCredentials('docker.io', env({ DOCKER_CONFIG: docker }))).toEqual({ username: 'hub-helper', password: 'hub-secret' });
    expect(helperAsked()).toEqual(['https://index.docker.io/v1/']);
  });

  it.each(['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io', 'https://registry-1.docker.io/v2/'])(
    'takes a Docker Hub auths entry filed as %s',
    async (key) => {
      const docker = join(root, `docker-hub-auths-${key.replace(/\W/g, '_')}`);
      write(join(docker, 'config.json'), { auths: { [key]: { auth: b64('hub:pw') } } });
      expect(await lookupCredentials('docker.io', env({ DOCKER_CONFIG: docker }))).toEqual({ username: 'hub', password: 'pw' });
    },
  );

  it('matches other hosts by the host of a URL key, and only by that', async () => {
    const docker = join(root, 'docker-hosts');
    write(join(docker, 'config.json'), {
      auths: { 'https://ghcr.example/v2/': { auth: b64('url:key') }, 'http://plain.example:5000': { auth: b64('plain:key') }, 'https://near.example.evil/': { auth: b64('evil:x') } },
    });
    const e = env({ DOCKER_CONFIG: docker });
    expect(await lookupCredentials('ghcr.example', e)).toEqual({ username: 'url', password: 'key' });
    expect(await lookupCredentials('plain.example:5000', e)).toEqual({ username: 'plain', password: 'key' });
    expect(await lookupCredentials('near.example', e)).toBeUndefined();
    expect(await lookupCredentials('plain.example', e)).toBeUndefined();
  });

  it('asks for Docker Hub by name when the helper is configured in a containers auth.json, as podman and skopeo do', async () => {
    const authFile = join(root, 'podman-auth.json');
    write(authFile, { credHelpers: { 'docker.io': 'lamina-test' } });
    helperAsked();
    expect(await lookupCredentials('docker.io', env({ REGISTRY_AUTH_FILE: authFile, DOCKER_CONFIG: join(root, 'none') }))).toEqual({ username: 'hub-by-name', password: 'x' });
    expect(helperAsked()).toEqual(['docker.io']);
  });

  it('runs no helper until the stored credentials are asked for, and then once', async () => {
    const docker = join(root, 'docker-lazy');
    write(join(docker, 'config.json'), { credsStore: 'lamina-test' });
    helperAsked();
    const source = storedCredentials('ghcr.example', env({ DOCKER_CONFIG: docker }));
    expect(helperAsked()).toEqual([]);
    expect(await source()).toEqual({ username: 'gu', password: 'gs' });
    expect(await source()).toEqual({ username: 'gu', password: 'gs' });
    expect(helperAsked()).toEqual(['ghcr.example']);
  });

  it('prefers REGISTRY_AUTH_FILE, then the XDG runtime auth.json, over docker config.json', async () => {
    const docker = join(root, 'docker2');
    write(join(docker, 'config.json'), { auths: { 'r.example': { auth: b64('from-docker:x') } } });
    const runtime = join(root, 'run');
    write(join(runtime, 'containers', 'auth.json'), { auths: { 'r.example': { auth: b64('from-runtime:x') } } });
    const authFile = join(root, 'explicit.json');
    write(authFile, { auths: { 'r.example': { auth: b64('from-env:x') } } });
    expect((await lookupCredentials('r.example', env({ DOCKER_CONFIG: docker })))?.username).toBe('from-docker');
    expect((await lookupCredentials('r.example', env({ DOCKER_CONFIG: docker, XDG_RUNTIME_DIR: runtime })))?.username).toBe('from-runtime');
    expect((await lookupCredentials('r.example', env({ DOCKER_CONFIG: docker, XDG_RUNTIME_DIR: runtime, REGISTRY_AUTH_FILE: authFile })))?.username).toBe('from-env');
  });

  it('says which file is broken or which helper is missing, in one line without secrets', async () => {
    const broken = join(root, 'broken.json');
    write(broken, '{ not json');
    await expect(lookupCredentials('r.example', env({ REGISTRY_AUTH_FILE: broken }))).rejects.toThrow(`${broken} is not valid JSON`);
    const docker = join(root, 'docker3');
    write(join(docker, 'config.json'), { credHelpers: { 'x.example': 'no-such-helper' } });
    const missing = await lookupCredentials('x.example', env({ DOCKER_CONFIG: docker })).catch((e: Error) => e);
    expect((missing as Error).message).toBe(
      `a login for x.example is to come from docker-credential-no-such-helper ("credHelpers" in ${join(docker, 'config.json')}), which is not installed; install it, remove that entry, or pass --creds USER:PASS`,
    );
  });
});
