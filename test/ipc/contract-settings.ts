/**
 * The Settings view's channels: registries with their secrets (which never come
 * back out), a registry's team cache, the Nix facts with the builders and the
 * Nix folder Lamina uses, and the pull registry switched on, used and off.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { ContractSession } from './contract-session.js';

/** The status of GET http://ADDRESS/v2/ on a new connection, or the error code when nothing answers. */
function ping(address: string): Promise<number | string> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const req = request({ host, port: Number(port), path: '/v2/', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    req.end();
  });
}

/** The folder on PATH that holds nix-build. */
function nixOnPath(): string {
  const dir = (process.env.PATH ?? '').split(delimiter).find((d) => d && existsSync(join(d, 'nix-build')));
  if (!dir) throw new Error('nix-build is not on PATH');
  return dir;
}

export function settingsContract(s: ContractSession): void {
  describe('settings', () => {
    const host = 'registry.ipc-test.example:5000';
    const secret = `never-shown-${process.pid}-${Date.now()}`;

    it('saves a registry and lists it, never answering its secret', async () => {
      const choices = await s.ok('registries:choices', {});
      // No keychain outside the desktop app's Electron; helpers are whatever is on PATH.
      expect(choices.safeStorage).toBe(false);
      expect(Array.isArray(choices.helpers)).toBe(true);

      const saved = await s.ok('registries:save', { host: ` ${host.toUpperCase()} `, username: 'ci', secret, keep: 'session', tlsVerify: false });
      expect(saved).toMatchObject({ host, username: 'ci', keep: 'session', helper: null, tlsVerify: false, secretAvailable: true, teamCache: null });
      const listed = await s.ok('registries:list', {});
      expect(listed).toEqual([saved]);
      expect(JSON.stringify([saved, listed])).not.toContain(secret);

      const keychain = await s.error('registries:save', { host, username: 'ci', secret, keep: 'safe-storage' });
      expect(keychain.code).toBe('no-safe-storage');
      expect(keychain.message).not.toContain(secret);
      expect(await s.error('registries:save', { host: ' ', username: 'ci', secret, keep: 'session' })).toEqual({
        code: 'invalid-input',
        message: 'host: give the registry host, e.g. ghcr.io or localhost:5000',
      });
    });

    it("names a registry's team cache on its own host only, and clears it", async () => {
      const set = await s.ok('registries:set-team-cache', { host, teamCache: `${host}/team/app-cache` });
      expect(set.find((r) => r.host === host)?.teamCache).toBe(`docker://${host}/team/app-cache:cache`);
      const elsewhere = await s.error('registries:set-team-cache', { host, teamCache: 'docker://elsewhere.example/cache' });
      expect(elsewhere).toEqual({ code: 'bad-team-cache-ref', message: `the team cache of ${host} must be on ${host} too (this one is on elsewhere.example)` });
      const cleared = await s.ok('registries:set-team-cache', { host, teamCache: null });
      expect(cleared.find((r) => r.host === host)?.teamCache).toBeNull();
    });

    it('removes a registry, and says so when it is not there', async () => {
      expect(await s.ok('registries:remove', { host })).toEqual([]);
      expect(await s.error('registries:remove', { host })).toEqual({ code: 'no-registry', message: `${host} is not among the registries set up in Settings` });
    });

    it("answers the Nix facts, and takes Lamina's own builders and Nix folder", async () => {
      const facts = await s.ok('settings:nix', {});
      expect(facts).toMatchObject({ error: null, builders: null, nixDir: null });
      expect(facts.binary).toMatch(/\/nix-build$/);
      expect(facts.version).toMatch(/^nix \(Nix\) 2\.\d+/);
      expect(facts.system).toMatch(/^[a-z0-9_]+-linux$/);

      const builders = 'ssh://builder.example x86_64-linux';
      const withBuilders = await s.ok('settings:set-builders', { builders: ` ${builders} ` });
      expect(withBuilders).toMatchObject({ builders, configBuilders: facts.configBuilders });
      expect(await s.error('settings:set-builders', { builders: 'a\nb' })).toEqual({ code: 'bad-builders', message: 'give the builders on one line, separated by ";" as in nix.conf' });
      expect((await s.ok('settings:set-builders', { builders: null })).builders).toBeNull();

      const dir = nixOnPath();
      expect(await s.ok('settings:set-nix-dir', { dir: `${dir}/` })).toMatchObject({ nixDir: dir, binary: join(dir, 'nix-build'), error: null });
      const empty = mkdtempSync(join(tmpdir(), 'lamina-no-nix-'));
      const refused = await s.error('settings:set-nix-dir', { dir: empty });
      expect(refused.code).toBe('bad-nix-dir');
      expect(refused.message).toMatch(new RegExp(`^there is no nix-build in ${empty}; give the folder that holds Nix's programs`));
      expect((await s.ok('settings:set-nix-dir', { dir: null })).nixDir).toBeNull();
    });

    it('starts the pull registry on loopback, serves images built from its source, and stops it', async () => {
      const source = inject('testbedDir');
      expect(await s.ok('pull-registry:status', {})).toEqual({ running: false, address: null, source: null });
      expect(await s.ok('pull-registry:set-source', { source })).toEqual({ running: false, address: null, source });
      expect(await s.error('pull-registry:start', { port: 'any' })).toEqual({ code: 'invalid-input', message: 'port: a port is a number' });

      const started = await s.ok('pull-registry:start', {});
      expect(started).toEqual({ running: true, address: expect.stringMatching(/^127\.0\.0\.1:\d+$/), source });
      const address = started.address!;
      // Starting a running one answers its status.
      expect(await s.ok('pull-registry:start', {})).toEqual(started);
      expect(await ping(address)).toBe(200);
      // A pull from tag latest builds the package from the source, as an image-build job.
      const jobsBefore = new Set((await s.ok('jobs:list', {})).map((j) => j.id));
      expect(await s.ok('images:platforms', { ref: `docker://${address}/gcc-12-base:latest`, tlsVerify: false })).toEqual([`linux/${process.arch === 'x64' ? 'amd64' : process.arch}`]);
      const built = (await s.ok('jobs:list', {})).filter((j) => !jobsBefore.has(j.id));
      expect(built).toMatchObject([{ kind: 'image-build', title: 'image gcc-12-base', state: 'succeeded' }]);

      expect(await s.ok('pull-registry:stop', {})).toEqual({ running: false, address: null, source });
      expect(await ping(address)).toBe('ECONNREFUSED');
      expect(await s.ok('pull-registry:set-source', { source: null })).toEqual({ running: false, address: null, source: null });
    });
  });
}
