/**
 * Writing the team cache index: several writers at once lose no entries, and a
 * faulty network during a write never leaves an entry whose blob is missing or
 * wrong. Real registry; the fault proxy of the registry tests in between.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYER_FORMAT_VERSION } from '../../src-main/engine/tarball/format.js';
import { MediaType } from '../../src-main/engine/image/media-types.js';
import { RegistryClient } from '../../src-main/engine/registry/client.js';
import { PushRecords } from '../../src-main/engine/registry/push-records.js';
import { layerCacheKey } from '../../src-main/engine/store/layer-cache.js';
import { openStore, type Store } from '../../src-main/engine/store/store.js';
import { readIndex } from '../../src-main/engine/team-cache/registry-index.js';
import { exportToTeamCache, type CacheableLayer } from '../../src-main/engine/team-cache/team-cache-writer.js';
import { tempDir } from '../builder/helpers.js';
import { startFaultProxy, type FaultProxy } from '../registry/servers/fault-proxy.js';
import { startRegistry, type RunningRegistry } from '../registry/servers/registry-server.js';

const fastRetry = { attempts: 6, baseDelayMs: 20, maxDelayMs: 200, maxRetryAfterMs: 2_000 };

/** A "machine": its own store holding `count` small layers of its own. */
async function machine(name: string, count: number): Promise<{ store: Store; layers: CacheableLayer[] }> {
  const store = await openStore(tempDir(`team-${name}`));
  const layers: CacheableLayer[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = randomBytes(2_000 + i);
    const { digest, size } = await store.content.put(bytes, MediaType.ociLayerGzip);
    const paths = [`/nix/store/${createHash('sha256').update(`${name}-${i}`).digest('hex').slice(0, 32)}-${name}-${i}`];
    layers.push({
      key: layerCacheKey({ kind: 'store-paths', paths, compression: 'gzip', formatVersion: LAYER_FORMAT_VERSION }),
      kind: 'store-paths',
      paths,
      digest,
      size,
      diffId: `sha256:${createHash('sha256').update(`diff ${name} ${i}`).digest('hex')}`,
      uncompressedSize: 10_000,
      mediaType: MediaType.ociLayerGzip,
    });
  }
  return { store, layers };
}

describe('writing the team cache index', () => {
  let registry: RunningRegistry;
  let proxy: FaultProxy;
  let direct: RegistryClient;
  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startFaultProxy(registry.host);
    direct = new RegistryClient({ registry: registry.host });
  });
  afterAll(async () => {
    await direct?.close();
    await proxy?.stop();
    await registry?.stop();
  });

  async function write(host: string, repository: string, m: { store: Store; layers: CacheableLayer[] }, warnings: string[] = []) {
    const client = new RegistryClient({ registry: host, retry: fastRetry });
    try {
      return await exportToTeamCache(client, { registry: host, repository, tag: 'cache' }, m.store, m.layers, 'gzip', new PushRecords(m.store.db), {
        settleMs: 100,
        onWarning: (text) => warnings.push(text),
      });
    } finally {
      await client.close();
    }
  }

  /** Every entry the index names is a blob the registry has, with those exact bytes. */
  async function expectWholeIndex(repository: string): Promise<Set<string>> {
    const index = await readIndex(direct, { repository, tag: 'cache' });
    expect(index.ignored).toBe(0);
    for (const entry of index.entries.values()) {
      const res = await fetch(`http://${registry.host}/v2/${repository}/blobs/${entry.digest}`);
      expect(res.status, entry.digest).toBe(200);
      const body = Buffer.from(await res.arrayBuffer());
      expect(`sha256:${createHash('sha256').update(body).digest('hex')}`).toBe(entry.digest);
      expect(body.length).toBe(entry.size);
    }
    return new Set(index.entries.keys());
  }

  it('four writers at once, three rounds: afterwards the index holds every entry of every writer', async () => {
    const expected = new Set<string>();
    for (let round = 0; round < 3; round++) {
      const machines = await Promise.all([0, 1, 2, 3].map((i) => machine(`r${round}w${i}`, 3)));
      for (const m of machines) for (const l of m.layers) expected.add(l.key);
      await Promise.all(machines.map((m) => write(registry.host, 'team/concurrent', m)));
      for (const m of machines) m.store.close();
      expect(await expectWholeIndex('team/concurrent')).toEqual(expected);
    }
  });

  it('through a faulty network: every entry the index names exists and verifies', async () => {
    const first = await machine('faults-a', 4);
    await write(registry.host, 'team/faults', first);
    const second = await machine('faults-b', 4);
    proxy.rules = [
      { method: 'HEAD', path: /\/blobs\//, fault: { kind: 'status', status: 503 }, times: 2 },
      { method: 'PUT', path: /\/blobs\/uploads\//, fault: { kind: 'cut-request' }, times: 1 },
      { method: 'PUT', path: /\/blobs\/uploads\//, fault: { kind: 'corrupt-request' }, times: 1 },
      { method: 'GET', path: /\/manifests\/cache$/, fault: { kind: 'cut-response' }, times: 1 },
      { method: 'PUT', path: /\/manifests\/cache$/, fault: { kind: 'status', status: 503 }, times: 1 },
      { method: 'GET', path: /\/blobs\/sha256:/, fault: { kind: 'cut-response' }, times: 1 },
    ];
    await write(proxy.host, 'team/faults', second);
    expect(proxy.rules.filter((r) => r.times > 0).map((r) => `${r.method} ${r.fault.kind}`)).toEqual([]);
    const keys = await expectWholeIndex('team/faults');
    for (const l of [...first.layers, ...second.layers]) expect(keys.has(l.key)).toBe(true);

    // A write the network breaks for good fails, and leaves the index as whole as before.
    const third = await machine('faults-c', 2);
    proxy.rules = [{ method: 'PUT', path: /\/manifests\/cache$/, fault: { kind: 'status', status: 503 }, times: 100 }];
    await expect(write(proxy.host, 'team/faults', third)).rejects.toThrow(/write the team cache index/);
    proxy.rules = [];
    expect(await expectWholeIndex('team/faults')).toEqual(keys);
    for (const m of [first, second, third]) m.store.close();
  });

  it('entries whose blob someone deleted are dropped by the next write, with one warning', async () => {
    const m = await machine('deleted', 3);
    await write(registry.host, 'team/deleted', m);
    const gone = m.layers[1]!;
    expect((await fetch(`http://${registry.host}/v2/team/deleted/blobs/${gone.digest}`, { method: 'DELETE' })).status).toBe(202);
    const next = await machine('deleted-next', 1);
    const warnings: string[] = [];
    await write(registry.host, 'team/deleted', next, warnings);
    expect(warnings).toEqual([expect.stringMatching(/named 1 layers the registry no longer has; those entries are dropped/)]);
    const keys = await expectWholeIndex('team/deleted');
    expect(keys).toEqual(new Set([m.layers[0]!.key, m.layers[2]!.key, next.layers[0]!.key]));
    m.store.close();
    next.store.close();
  });
});
