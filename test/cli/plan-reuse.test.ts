/**
 * Reuse as a user sees it from the terminal: `plan` says which layers the store
 * holds already and what a build or a push would send, `build` takes exactly those
 * from the cache, and `cache ls` says how many times over the store holds its paths.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../registry/servers/registry-server.js';
import { freshHome, runCli } from './run-cli.js';

interface PlanJson {
  closure: { paths: number; narSize: number };
  newBytes: number;
  layers: { key: string; paths: string[]; narSize: number; reused: boolean; reason: { kind: string }; why: string }[];
  push?: { layers: number; storedBytes: number; newNarBytes: number };
}

interface BuildJson {
  layers: { planKey: string | null; cached: boolean; paths: string[] }[];
}

describe('lamina plan and build reuse the store', () => {
  const source = inject('testbedDir');
  const env = { LAMINA_HOME: freshHome() };
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  const plan = async (...args: string[]): Promise<PlanJson> => {
    const { code, stdout, stderr } = await runCli(['plan', ...args, '--source', source, '--json'], env);
    expect(code, stderr).toBe(0);
    return JSON.parse(stdout) as PlanJson;
  };
  const build = async (...args: string[]): Promise<BuildJson> => {
    const { code, stdout, stderr } = await runCli(['build', ...args, '--source', source, '--json'], env);
    expect(code, stderr).toBe(0);
    return JSON.parse(stdout) as BuildJson;
  };

  it('plans a layer per store path on an empty store, each saying why, all new', async () => {
    const planned = await plan('bash');
    expect(planned.layers).toHaveLength(planned.closure.paths);
    expect(planned.layers.every((l) => !l.reused && l.reason.kind === 'path' && /alone/.test(l.why))).toBe(true);
    expect(planned.newBytes).toBe(planned.closure.narSize);
  });

  it('after a build, a plan of one more package reuses every layer it can and writes only the new paths; the build agrees', async () => {
    await build('bash');
    const bashPaths = new Set((await plan('bash')).layers.flatMap((l) => l.paths));
    const again = await plan('bash');
    expect(again.newBytes).toBe(0);
    expect(again.layers.every((l) => l.reused && l.reason.kind === 'reused' && /reused from image bash/.test(l.why))).toBe(true);

    const more = await plan('bash', 'gzip');
    const newPaths = more.layers.flatMap((l) => l.paths).filter((p) => !bashPaths.has(p));
    expect(newPaths.length).toBeGreaterThan(0);
    for (const layer of more.layers) expect(layer.reused).toBe(layer.paths.every((p) => bashPaths.has(p)));
    const newPathBytes = more.layers.filter((l) => !l.reused).reduce((sum, l) => sum + l.narSize, 0);
    expect(more.newBytes).toBe(newPathBytes);

    const built = await build('bash', 'gzip');
    const storeLayers = built.layers.filter((l) => l.planKey !== null);
    expect(storeLayers.map((l) => l.planKey)).toEqual(more.layers.map((l) => l.key));
    expect(storeLayers.map((l) => l.cached)).toEqual(more.layers.map((l) => l.reused));
  });

  it('cache ls says the store holds each path once after reusing builds', async () => {
    const { code, stdout } = await runCli(['cache', 'ls', '--json'], env);
    expect(code).toBe(0);
    const { duplication } = JSON.parse(stdout) as { duplication: { ratio: number; distinctPaths: number } };
    expect(duplication.distinctPaths).toBeGreaterThan(0);
    expect(duplication.ratio).toBe(1);
    const human = await runCli(['cache', 'ls'], env);
    expect(human.stdout).toMatch(/^duplication 1\.00x: \d+ store paths/m);
  });

  it('with --push, tells what a push would send: everything before the first push, nothing after', async () => {
    const dest = `docker://${registry.host}/team/bash-gzip:1`;
    const before = await plan('bash', 'gzip', '--push', dest);
    expect(before.push).toMatchObject({ layers: before.layers.length, newNarBytes: 0 });
    expect(before.push!.storedBytes).toBeGreaterThan(0);

    const pushed = await runCli(['push', 'bash-gzip', dest, '--json'], env);
    expect(pushed.code, pushed.stderr).toBe(0);
    const after = await plan('bash', 'gzip', '--push', `docker://${registry.host}/elsewhere/app:1`);
    expect(after.push).toEqual({ registry: registry.host, repository: 'elsewhere/app', layers: 0, storedBytes: 0, newNarBytes: 0 });
    const sed = await plan('bash', 'gzip', 'sed', '--push', dest);
    expect(sed.push!.layers).toBe(sed.layers.filter((l) => !l.reused).length);
    expect(sed.push!.newNarBytes).toBe(sed.newBytes);
  });

  it('refuses a --push that is not a registry location, before Nix runs', async () => {
    const { code, stderr } = await runCli(['plan', 'bash', '--source', source, '--push', 'oci:/tmp/x'], env);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/not a registry location/)]);
  });
});
