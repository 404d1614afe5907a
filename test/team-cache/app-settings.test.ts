/**
 * The app's team cache: a reference saved per registry in Settings (through the
 * contract's handlers, as the UI calls them), used by image-build jobs for that
 * registry on two "machines" (two data dirs), and counted apart in cache history.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ImageBuildResult } from '../../src-main/engine/jobs/kinds/image-build.js';
import { openEngineServices, type EngineServices } from '../../src-main/ipc/engine-services.js';
import { startRegistry, type RunningRegistry } from '../registry/servers/registry-server.js';

describe('a team cache set up in Settings', () => {
  let registry: RunningRegistry;
  const machines: EngineServices[] = [];
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => {
    for (const m of machines) await m.close();
    await registry?.stop();
  });

  async function machine(): Promise<EngineServices> {
    const services = openEngineServices({ home: mkdtempSync(join(tmpdir(), 'lamina-team-app-')) });
    machines.push(services);
    await services.handlers['registries:save']({ host: registry.host, username: 'ci', secret: 'not-checked', keep: 'session', tlsVerify: false });
    const listed = await services.handlers['registries:set-team-cache']({ host: registry.host, teamCache: `${registry.host}/team/app-cache` });
    expect(listed.find((r) => r.host === registry.host)?.teamCache).toBe(`docker://${registry.host}/team/app-cache:cache`);
    return services;
  }

  async function build(services: EngineServices): Promise<ImageBuildResult> {
    const input = { source: inject('testbedDir'), attrs: inject('testbedRoots'), strategy: 'nixery' as const, maxLayers: 8, compression: 'gzip' as const, config: {}, teamCacheRegistry: registry.host };
    const job = await services.handlers['jobs:start']({ kind: 'image-build', input });
    const done = await services.runner.wait(job.id);
    expect(done.state, done.error ?? '').toBe('succeeded');
    return done.result as ImageBuildResult;
  }

  it('refuses a team cache on another host, and keeps only the reference in the settings table', async () => {
    const services = await machine();
    await expect(services.handlers['registries:set-team-cache']({ host: registry.host, teamCache: 'docker://elsewhere.example/cache' })).rejects.toThrow(/must be on/);
    const rows = services.db.prepare('SELECT value FROM settings').all() as { value: string }[];
    expect(rows.map((r) => r.value).join('\n')).not.toMatch(/not-checked/);
  });

  it('machine A fills it, machine B builds from it; the cache history tells team hits apart', async () => {
    const a = await build(await machine());
    expect(a.layers.every((l) => l.source === 'built')).toBe(true);
    expect(a.teamCache?.written).toBe(a.layers.length);

    const servicesB = await machine();
    const b = await build(servicesB);
    expect(b.layers.every((l) => l.source === 'team')).toBe(true);
    expect(b.manifestDigest).toBe(a.manifestDigest);
    const [point] = await servicesB.handlers['cache:history']({ limit: 10 });
    expect(point).toMatchObject({ layers: b.layers.length, cachedLayers: b.layers.length, teamLayers: b.layers.length });

    // Again on B: now every layer is in B's own cache, a local hit.
    const again = await build(servicesB);
    expect(again.layers.every((l) => l.source === 'local')).toBe(true);
  });
});
