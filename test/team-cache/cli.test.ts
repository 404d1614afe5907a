/**
 * The team cache between two machines (two data dirs) and one real registry:
 * A builds with --cache-to, B with --cache-from, through the built CLI.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RegistryClient } from '../../src-main/engine/registry/client.js';
import { readIndex } from '../../src-main/engine/team-cache/registry-index.js';
import { freshHome, runCli, type CliResult } from '../cli/run-cli.js';
import { startFaultProxy } from '../registry/servers/fault-proxy.js';
import { startRegistry, type RunningRegistry } from '../registry/servers/registry-server.js';

interface BuildJson {
  manifestDigest: string;
  configDigest: string;
  layers: { digest: string; key: string; cached: boolean; source: 'local' | 'team' | 'built' }[];
  push?: { digest: string; blobs: { digest: string; action: string }[] };
  cacheTo?: { reference: string; written: number; entries: number };
}

function parsed(result: CliResult): BuildJson {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as BuildJson;
}

const warnings = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('lamina: warning:'));

describe('lamina build --cache-to / --cache-from', () => {
  let registry: RunningRegistry;
  let client: RegistryClient;
  let a: BuildJson;
  const roots = () => inject('testbedRoots');
  const build = (home: string, args: string[]) => runCli(['build', ...roots(), '--source', inject('testbedDir'), '--json', ...args], { LAMINA_HOME: home });

  beforeAll(async () => {
    registry = await startRegistry();
    client = new RegistryClient({ registry: registry.host });
    a = parsed(await build(freshHome(), ['--push', `docker://${registry.host}/app/a:1`, '--cache-to', `docker://${registry.host}/team/cache`]));
  });
  afterAll(async () => {
    await client?.close();
    await registry?.stop();
  });

  const indexOf = (repository: string, tag = 'cache') => readIndex(client, { repository, tag });

  it('A writes an entry for every layer it pushed, in the repository of the cache', async () => {
    expect(a.layers.every((l) => l.source === 'built')).toBe(true);
    expect(a.cacheTo).toEqual({ reference: `docker://${registry.host}/team/cache`, written: a.layers.length, entries: a.layers.length });
    const index = await indexOf('team/cache');
    expect([...index.entries.keys()].sort()).toEqual(a.layers.map((l) => l.key).sort());
    for (const layer of a.layers) expect(index.entries.get(layer.key)?.digest).toBe(layer.digest);
  });

  it('B, on a fresh machine, writes no layer, uploads no layer bytes and pushes the same manifest', async () => {
    const result = await build(freshHome(), ['--cache-from', `docker://${registry.host}/team/cache`, '--push', `docker://${registry.host}/app/b:1`]);
    const b = parsed(result);
    expect(warnings(result.stderr)).toEqual([]);
    // Every layer, the customisation layer too, comes from the team cache.
    expect(b.layers.map((l) => l.source)).toEqual(a.layers.map(() => 'team'));
    expect(b.manifestDigest).toBe(a.manifestDigest);
    expect(b.push?.digest).toBe(a.manifestDigest);
    const layerDigests = new Set(b.layers.map((l) => l.digest));
    const layerActions = b.push!.blobs.filter((blob) => layerDigests.has(blob.digest)).map((blob) => blob.action);
    expect(layerActions).toHaveLength(b.layers.length);
    expect(layerActions.every((action) => action === 'mounted' || action === 'exists')).toBe(true);
  });

  it("B plans on the team cache's layers as on its own: A's image, shaped by what A built before, comes out the same on B", async () => {
    // On A, a tight budget and an earlier image make a plan an empty store would not.
    const homeA = freshHome();
    const tight = ['--max-layers', '4'];
    const run = (home: string, attrs: string[], args: string[]) =>
      runCli(['build', ...attrs, '--source', inject('testbedDir'), '--json', ...tight, ...args], { LAMINA_HOME: home });
    parsed(await run(homeA, ['gzip'], []));
    const shaped = parsed(await run(homeA, ['bash', 'gzip'], ['--cache-to', `docker://${registry.host}/team/shaped`]));
    const clean = parsed(await run(freshHome(), ['bash', 'gzip'], []));
    expect(clean.manifestDigest).not.toBe(shaped.manifestDigest);

    const result = await run(freshHome(), ['bash', 'gzip'], ['--cache-from', `docker://${registry.host}/team/shaped`]);
    const b = parsed(result);
    expect(warnings(result.stderr)).toEqual([]);
    expect(b.manifestDigest).toBe(shaped.manifestDigest);
    expect(b.layers.every((l) => l.source === 'team')).toBe(true);
  });

  it('a fetch that breaks off half way resumes where it stopped, and the layer still comes from the team cache', async () => {
    const proxy = await startFaultProxy(registry.host);
    try {
      proxy.rules = [{ method: 'GET', path: /\/team\/cache\/blobs\/sha256:/, fault: { kind: 'cut-response' }, times: 2 }];
      const result = await build(freshHome(), ['--cache-from', `docker://${proxy.host}/team/cache`]);
      const b = parsed(result);
      expect(proxy.rules[0]!.times).toBe(0);
      expect(warnings(result.stderr)).toEqual([]);
      expect(b.layers.every((l) => l.source === 'team')).toBe(true);
      expect(b.manifestDigest).toBe(a.manifestDigest);
    } finally {
      await proxy.stop();
    }
  });

  it('with half the image in the cache, B builds only the other half', async () => {
    // One layer per store path, so the subset's layers are layers of the whole image too.
    const perPath = ['--strategy', 'popularity', '--max-layers', '125'];
    const subset = ['build', roots()[0]!, '--source', inject('testbedDir'), '--json', ...perPath, '--cache-to', `docker://${registry.host}/team/half`];
    const half = parsed(await runCli(subset, { LAMINA_HOME: freshHome() }));
    const cachedKeys = new Set(half.layers.map((l) => l.key));
    const whole = parsed(await build(freshHome(), perPath));
    const b = parsed(await build(freshHome(), [...perPath, '--cache-from', `docker://${registry.host}/team/half`]));
    const team = b.layers.filter((l) => l.source === 'team');
    const built = b.layers.filter((l) => l.source === 'built');
    expect(team.length).toBeGreaterThan(0);
    expect(built.length).toBeGreaterThan(0);
    expect(team.every((l) => cachedKeys.has(l.key))).toBe(true);
    expect(built.every((l) => !cachedKeys.has(l.key))).toBe(true);
    expect(b.manifestDigest).toBe(whole.manifestDigest);
  });

  it('a layer whose blob was deleted from the registry is rebuilt, and --cache-to mends the index', async () => {
    // A cache of its own, so the other tests keep theirs whole.
    parsed(await build(freshHome(), ['--cache-from', `docker://${registry.host}/team/cache`, '--cache-to', `docker://${registry.host}/team/mend`]));
    const victim = a.layers[0]!;
    const deleted = await fetch(`http://${registry.host}/v2/team/mend/blobs/${victim.digest}`, { method: 'DELETE' });
    expect(deleted.status).toBe(202);

    const result = await build(freshHome(), ['--cache-from', `docker://${registry.host}/team/mend`, '--cache-to', `docker://${registry.host}/team/mend`]);
    const c = parsed(result);
    expect(warnings(result.stderr)).toHaveLength(1);
    expect(warnings(result.stderr)[0]).toMatch(/no longer has it; building it instead/);
    expect(c.layers.filter((l) => l.source === 'built').map((l) => l.key)).toEqual([victim.key]);
    expect(c.manifestDigest).toBe(a.manifestDigest);

    const index = await indexOf('team/mend');
    expect(index.entries.size).toBe(a.layers.length);
    for (const entry of index.entries.values()) expect(await client.blobSize('team/mend', entry.digest), entry.digest).toBe(entry.size);
  });
});
