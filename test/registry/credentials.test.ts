import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupCredentials, parseCredsFlag } from '../../src-main/engine/registry/credentials.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('credentials from the places docker, podman and skopeo keep them', () => {
  const root = mkdtempSync(join(tmpdir(), 'lamina-creds-'));
  const bin = join(root, 'bin');
  const savedPath = process.env.PATH;
  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => ({ HOME: root, XDG_CONFIG_HOME: join(root, 'config'), ...extra });
  const write = (file: string, content: unknown) => {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  };

  beforeAll(() => {
    // A real credential helper speaking docker's protocol: registry on stdin, JSON on stdout.
    mkdirSync(bin, { recursive: true });
    const helper = join(bin, 'docker-credential-lamina-test');
    writeFileSync(
      helper,
      `#!/bin/sh
[ "$1" = get ] || exit 2
read server
case "$server" in
  helper.example) echo '{"ServerURL":"helper.example","Username":"hu","Secret":"hs"}' ;;
  store.example) echo '{"ServerURL":"store.example","Username":"su","Secret":"ss"}' ;;
  token.example) echo '{"ServerURL":"token.example","Username":"<token>","Secret":"refresh-me"}' ;;
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac
`,
    );
    chmodSync(helper, 0o755);
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
    await expect(lookupCredentials('x.example', env({ DOCKER_CONFIG: docker }))).rejects.toThrow(/docker-credential-no-such-helper is not installed/);
  });
});
