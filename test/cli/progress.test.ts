/**
 * Byte-level progress bars on a terminal (run under util-linux's `script`, which
 * gives the CLI a pseudo-terminal): push (per blob and total), inspect --files and
 * cache verify; none with --json, and none when stderr is not a terminal.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestImage, noise } from '../registry/fixtures/test-image.js';
import { startRegistry, type RunningRegistry } from '../registry/servers/registry-server.js';
import { storeTestImage } from './fixtures/store-image.js';
import { cliArgv, freshHome, runCli } from './run-cli.js';

/** Runs the CLI with a terminal on stdin, stdout and stderr; returns all it wrote there. */
function onTerminal(args: string[], env: NodeJS.ProcessEnv): { status: number | null; output: string } {
  const command = [process.execPath, ...cliArgv(args)].map((a) => `'${a}'`).join(' ');
  const result = spawnSync('script', ['-qefc', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, ...env, COLUMNS: '120' } });
  return { status: result.status, output: result.stdout };
}

describe('progress on a terminal', () => {
  const home = freshHome();
  const env = { LAMINA_HOME: home, DOCKER_CONFIG: join(home, 'docker'), REGISTRY_AUTH_FILE: join(home, 'auth.json'), CI: '' };
  let registry: RunningRegistry;
  beforeAll(async () => {
    const image = await makeTestImage([{ 'big.bin': noise(3_000_000, 1) }, { 'other.bin': noise(1_000_000, 2) }]);
    await storeTestImage(home, 'big', image);
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('shows a total byte bar and a bar per blob for push, and the blob lines', () => {
    const { status, output } = onTerminal(['push', 'big', `docker://${registry.host}/progress/big:v1`], env);
    expect(status, output).toBe(0);
    expect(output).toMatch(/ total \[[█░]+\] 100% 3\.8 MiB of 3\.8 MiB/);
    expect(output).toMatch(/ [0-9a-f]{12} \[[█░]+\] +\d+% [\d.]+ (B|KiB|MiB) of [\d.]+ (KiB|MiB)/);
    expect(output).toMatch(/uploaded [0-9a-f]{12} 2\.9 MiB/);
    expect(output).toMatch(/pushed .*progress\/big:v1@sha256:/);
  });

  it('shows no bar with --json on a terminal, nor when stderr is not a terminal', async () => {
    const json = onTerminal(['push', 'big', `docker://${registry.host}/progress/json:v1`, '--json'], env);
    expect(json.status, json.output).toBe(0);
    expect(json.output).not.toMatch(/%/);
    const piped = await runCli(['push', 'big', `docker://${registry.host}/progress/piped:v1`], env);
    expect(piped.stderr).not.toMatch(/%|\[/);
    expect(piped.stderr).toMatch(/^ {2}(uploaded|mounted|exists) +[0-9a-f]{12} /m);
  });

  it('shows a byte bar while inspect --files reads the layers', () => {
    const layout = join(mkdtempSync(join(tmpdir(), 'lamina-progress-')), 'layout');
    expect(spawnSync(process.execPath, cliArgv(['export', 'big', `oci:${layout}:v1`]), { env: { ...process.env, ...env } }).status).toBe(0);
    const { status, output } = onTerminal(['inspect', `oci:${layout}:v1`, '--files'], env);
    expect(status, output).toBe(0);
    expect(output).toMatch(/ layers \[[█░]+\] 100% 3\.8 MiB of 3\.8 MiB/);
    expect(output).toMatch(/big\.bin/);
  });

  it('shows a byte bar for cache verify', () => {
    const { status, output } = onTerminal(['cache', 'verify'], env);
    expect(status, output).toBe(0);
    expect(output).toMatch(/ verified \[[█░]+\] 100% /);
    expect(output).toMatch(/checked \d+ blobs \(.*\): 0 damaged/);
  });
});
