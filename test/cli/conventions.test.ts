/**
 * What users of skopeo, podman and docker reach for: --version, rmi, export,
 * inspect --raw / --config, push --digestfile, a bare --tls-verify, and shell
 * completion that bash loads and uses.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestImage, type TestImage } from '../registry/fixtures/test-image.js';
import { startRegistry, type RunningRegistry } from '../registry/servers/registry-server.js';
import { storeTestImage } from './fixtures/store-image.js';
import { cliArgv, freshHome, runCli } from './run-cli.js';

const sha256 = (bytes: Buffer | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('CLI conventions', () => {
  const home = freshHome();
  const env = { LAMINA_HOME: home, DOCKER_CONFIG: join(home, 'docker'), REGISTRY_AUTH_FILE: join(home, 'auth.json') };
  const out = mkdtempSync(join(tmpdir(), 'lamina-conventions-'));
  let image: TestImage;
  let registry: RunningRegistry;

  beforeAll(async () => {
    image = await makeTestImage([{ 'bin/hello': 'hello\n' }, { 'etc/motd': 'welcome\n' }]);
    await storeTestImage(home, 'hello', image);
    await storeTestImage(home, 'doomed', image);
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(await runCli(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('exports a store image to oci: and docker-archive:, which skopeo reads with the same digest', async () => {
    const layout = await runCli(['export', 'hello', `oci:${join(out, 'layout')}:v1`], env);
    expect(layout.code, layout.stderr).toBe(0);
    expect(layout.stdout).toBe(`exported hello (${image.manifestDigest}) to oci:${join(out, 'layout')}:v1\n`);
    const fromLayout = JSON.parse(execFileSync('skopeo', ['inspect', `oci:${join(out, 'layout')}:v1`], { encoding: 'utf8' })) as { Digest: string };
    expect(fromLayout.Digest).toBe(image.manifestDigest);
    const archive = await runCli(['export', 'hello', `docker-archive:${join(out, 'hello.tar')}:hello:v1`, '--json'], env);
    expect(archive.code, archive.stderr).toBe(0);
    const layers = JSON.parse(execFileSync('skopeo', ['inspect', `docker-archive:${join(out, 'hello.tar')}`], { encoding: 'utf8' })) as { Layers: string[] };
    expect(layers.Layers).toHaveLength(2);
    const bad = await runCli(['export', 'hello', `docker://${registry.host}/x:1`], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect((await runCli(['export', 'nosuch', `oci:${join(out, 'x')}`], env)).stderr).toMatch(/^lamina: no image named "nosuch" in the store/);
  });

  it('removes a store image with rmi, fails in one line for a missing name, and --ignore lets it pass', async () => {
    const removed = await runCli(['rmi', 'doomed', '--json'], env);
    expect(removed).toMatchObject({ code: 0, stdout: '{"removed":["doomed"]}\n' });
    const images = JSON.parse((await runCli(['images', '--json'], env)).stdout) as { name: string }[];
    expect(images.map((i) => i.name)).toEqual(['hello']);
    const again = await runCli(['rmi', 'doomed'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('lamina: no image named doomed in the store; see `lamina images` (or pass --ignore)\n');
    expect((await runCli(['rmi', '--ignore', 'doomed'], env)).code).toBe(0);
  });

  it('prints the stored manifest and config bytes with inspect --raw and --config, as skopeo does', async () => {
    const where = `oci:${join(out, 'layout')}:v1`;
    const raw = await runCli(['inspect', where, '--raw'], env);
    expect(sha256(raw.stdout)).toBe(image.manifestDigest);
    expect(raw.stdout).toBe(execFileSync('skopeo', ['inspect', '--raw', where], { encoding: 'utf8' }));
    const rawConfig = await runCli(['inspect', where, '--config', '--raw'], env);
    expect(sha256(rawConfig.stdout)).toBe(image.configDigest);
    const config = await runCli(['inspect', where, '--config'], env);
    expect(JSON.parse(config.stdout)).toEqual(JSON.parse(rawConfig.stdout));
    expect(config.stdout).toContain('\n    "architecture"');
  });

  it('writes the pushed digest to --digestfile, and takes a bare --tls-verify as true', async () => {
    const file = join(out, 'digest');
    const pushed = await runCli(['push', 'hello', `docker://${registry.host}/conv/hello:v1`, '--tls-verify', '--digestfile', file], env);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(image.manifestDigest);
    const explicit = await runCli(['push', 'hello', `docker://${registry.host}/conv/hello:v2`, '--tls-verify=false'], env);
    expect(explicit.code, explicit.stderr).toBe(0);
    const wrong = await runCli(['push', 'hello', `docker://${registry.host}/conv/hello:v3`, '--tls-verify=maybe'], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--tls-verify is true or false/);
  });
});

describe('shell completion', () => {
  /** Loads `lamina completion bash` into bash and asks it to complete the words. */
  function complete(words: string[]): string[] {
    const script = `source <("${process.execPath}" ${cliArgv(['completion', 'bash']).map((a) => `"${a}"`).join(' ')})
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _lamina; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return execFileSync('bash', ['-c', script], { encoding: 'utf8' }).split('\n').filter(Boolean);
  }

  it('completes commands, subcommands, flags and flag choices in bash', () => {
    expect(complete(['lamina', 'bu'])).toEqual(['build']);
    expect(complete(['lamina', 'cache', ''])).toEqual(expect.arrayContaining(['ls', 'verify', 'gc']));
    expect(complete(['lamina', 'push', 'x', '--dig'])).toEqual(['--digestfile']);
    expect(complete(['lamina', 'build', '--compression', 'z'])).toEqual(['zstd']);
    expect(complete(['lamina', 'cache', 'gc', '--'])).toEqual(expect.arrayContaining(['--max-size', '--json', '--help']));
  });

  it('writes zsh and fish scripts naming the same commands', async () => {
    const zsh = await runCli(['completion', 'zsh']);
    expect(zsh.stdout).toMatch(/^#compdef lamina\n/);
    expect(zsh.stdout).toContain('complete -o default -F _lamina lamina');
    const fish = await runCli(['completion', 'fish']);
    expect(fish.stdout).toContain("complete -c lamina -n '__fish_use_subcommand' -a rmi -d 'remove images from the local store'");
    expect(fish.stdout).toContain("-l compression -x -a 'gzip zstd none'");
    expect((await runCli(['completion', 'tcsh'])).code).toBe(2);
  });
});
