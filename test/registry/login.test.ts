import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src-main/engine/registry/client.js';
import { storedCredentials } from '../../src-main/engine/registry/credentials.js';
import { pushImage } from '../../src-main/engine/registry/push.js';
import { makeTestImage } from './fixtures/test-image.js';
import { startRegistry, type RunningRegistry } from './servers/registry-server.js';
import { startTokenServer, type TokenServer } from './servers/token-server.js';
import { writeCredentialHelper } from './credential-helper.js';

const users = { alice: 'wonder-land', bob: 'builder' };
const needsLogin = (host: string) =>
  `${host} needs a login: pass --creds USER:PASS, run docker login / skopeo login, or add the registry in Lamina's Settings`;

describe('stored logins are fetched only when a registry asks for one', () => {
  const root = mkdtempSync(join(tmpdir(), 'lamina-login-'));
  const bin = join(root, 'bin');
  const asked = join(root, 'asked.log');
  const savedPath = process.env.PATH;
  let open: RunningRegistry;
  let basic: RunningRegistry;
  let tokens: TokenServer;
  let tokened: RunningRegistry;

  /** A docker config in its own dir, as DOCKER_CONFIG names it; no containers auth.json is read. */
  const dockerConfig = (name: string, config: unknown): NodeJS.ProcessEnv => {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    return { HOME: root, DOCKER_CONFIG: dir, REGISTRY_AUTH_FILE: join(root, 'no-auth.json') };
  };
  /** The servers the helper was asked for since the last call. */
  const helperAsked = (): string[] => {
    if (!existsSync(asked)) return [];
    const lines = readFileSync(asked, 'utf8').split('\n').filter(Boolean);
    rmSync(asked);
    return lines;
  };
  const push = async (host: string, env: NodeJS.ProcessEnv, repository: string) => {
    const client = new RegistryClient({ registry: host, credentials: storedCredentials(host, env) });
    try {
      return await pushImage(client, { repository, tag: 'v1' }, await makeTestImage([{ [`${repository}.txt`]: repository }]));
    } finally {
      await client.close();
    }
  };

  beforeAll(async () => {
    tokens = await startTokenServer(users);
    [open, basic, tokened] = await Promise.all([
      startRegistry(),
      startRegistry({ kind: 'htpasswd', users }),
      startRegistry({ kind: 'token', realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, certFile: tokens.certFile }),
    ]);
    // A credential helper speaking docker's protocol (server on stdin, JSON out), noting each question.
    writeCredentialHelper(bin, 'lamina-login', asked, {
      [basic.host]: { username: 'alice', secret: users.alice! },
      [tokened.host]: { username: 'bob', secret: users.bob! },
    });
    const empty = join(bin, 'docker-credential-lamina-empty');
    writeFileSync(empty, `#!/bin/sh\nread server\necho "$server" >> '${asked}'\necho "credentials not found in native keychain"\nexit 1\n`);
    chmodSync(empty, 0o755);
    process.env.PATH = `${bin}:${savedPath}`;
  });
  afterAll(async () => {
    process.env.PATH = savedPath;
    await Promise.all([open?.stop(), basic?.stop(), tokened?.stop()]);
    await tokens?.stop();
  });

  it('pushes to an anonymous registry although the configured helper is not installed', async () => {
    const env = dockerConfig('desktop', { credsStore: 'desktop' });
    const result = await push(open.host, env, 'anon/app');
    expect(result.digest).toMatch(/^sha256:/);
  });

  it('names the missing helper in one line once a registry does want a login', async () => {
    const env = dockerConfig('desktop-basic', { credsStore: 'desktop' });
    const failure = (await push(basic.host, env, 'locked/app').catch((e: Error) => e)) as Error;
    expect(failure.message).toBe(
      `a login for ${basic.host} is to come from docker-credential-desktop ("credsStore" in ${join(root, 'desktop-basic', 'config.json')}), which is not installed; install it, remove that entry, or pass --creds USER:PASS`,
    );
  });

  it('asks the helper only about registries that want a login, and pushes with what it answers', async () => {
    const env = dockerConfig('helper', { credsStore: 'lamina-login' });
    helperAsked();
    await push(open.host, env, 'helped/open');
    expect(helperAsked()).toEqual([]);
    await push(basic.host, env, 'helped/basic');
    expect(helperAsked()).toEqual([basic.host]);
    tokens.requests.length = 0;
    await push(tokened.host, env, 'helped/token');
    expect(helperAsked()).toEqual([tokened.host]);
    expect(tokens.requests.map((r) => r.user)).toEqual(['bob']);
  });

  it('says a login is needed, not that one was refused, when none was sent (basic auth)', async () => {
    const anonymous = new RegistryClient({ registry: basic.host });
    await expect(anonymous.listTags('locked/app')).rejects.toThrow(needsLogin(basic.host));
    await anonymous.close();
    expect((await push(basic.host, dockerConfig('nothing', {}), 'locked/none').catch((e: Error) => e)) as Error).toHaveProperty('message', needsLogin(basic.host));
    // A helper that has nothing for the registry is no login either.
    helperAsked();
    const env = dockerConfig('helper-empty', { credHelpers: { [basic.host]: 'lamina-empty' } });
    expect((await push(basic.host, env, 'locked/empty').catch((e: Error) => e)) as Error).toHaveProperty('message', needsLogin(basic.host));
    expect(helperAsked()).toEqual([basic.host]);
  });

  it('says a login is needed when an anonymous token only allows pulling (bearer auth)', async () => {
    const failure = (await push(tokened.host, dockerConfig('nothing-token', {}), 'tok/anon').catch((e: Error) => e)) as Error;
    expect(failure.message).toBe(needsLogin(tokened.host));
  });
});
