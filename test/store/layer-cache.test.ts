import { mkdtempSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sha256Digest } from '../../src-main/engine/image/sha256.js';
import { LayerIndexStore } from '../../src-main/engine/inspect/index-store.js';
import type { LayerIndex } from '../../src-main/engine/inspect/layer-index.js';
import { LEASE_MS } from '../../src-main/engine/store/blob-leases.js';
import { collectGarbage } from '../../src-main/engine/store/gc.js';
import { layerCacheKey } from '../../src-main/engine/store/layer-cache.js';
import type { LayerBlob } from '../../src-main/engine/tarball/types.js';
import { openStore, type Store } from '../../src-main/engine/store/store.js';

const opened: Store[] = [];
async function freshStore(): Promise<Store> {
  const store = await openStore(mkdtempSync(join(tmpdir(), 'lamina-cache-')));
  opened.push(store);
  return store;
}
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});

/** A stand-in layer writer: writes `content` and reports it (diffId = digest, as for an uncompressed tar). */
function writer(content: string, calls: { count: number }, gate?: Promise<void>) {
  return async (file: string): Promise<LayerBlob> => {
    calls.count++;
    await gate;
    await writeFile(file, content);
    const digest = sha256Digest(content);
    return { digest, diffId: digest, size: Buffer.byteLength(content), uncompressedSize: Buffer.byteLength(content), mediaType: 'application/vnd.oci.image.layer.v1.tar' };
  };
}

describe('layer cache', () => {
  it('keys layers by their set of paths, compression and format version', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1 }), (paths) => {
        const key = layerCacheKey({ kind: 'store-paths', paths, compression: 'gzip', formatVersion: 1 });
        expect(layerCacheKey({ kind: 'store-paths', paths: [...paths].reverse(), compression: 'gzip', formatVersion: 1 })).toBe(key);
        expect(layerCacheKey({ kind: 'store-paths', paths, compression: 'zstd', formatVersion: 1 })).not.toBe(key);
        expect(layerCacheKey({ kind: 'store-paths', paths, compression: 'gzip', formatVersion: 2 })).not.toBe(key);
        expect(layerCacheKey({ kind: 'customisation', paths, compression: 'gzip', formatVersion: 1 })).not.toBe(key);
        expect(layerCacheKey({ kind: 'store-paths', paths: [...paths, '/nix/store/extra'], compression: 'gzip', formatVersion: 1 })).not.toBe(key);
      }),
    );
  });

  it('keys the customisation layer by its roots in order: the first root wins a link conflict', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 2 }), (roots) => {
        const key = layerCacheKey({ kind: 'customisation', paths: roots, compression: 'gzip', formatVersion: 1 });
        expect(layerCacheKey({ kind: 'customisation', paths: [...roots].reverse(), compression: 'gzip', formatVersion: 1 })).not.toBe(key);
      }),
    );
  });

  it('writes a layer once for concurrent requests of the same key (single flight) and serves hits after', async () => {
    const store = await freshStore();
    const calls = { count: 0 };
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const meta = { paths: ['/nix/store/aaaa-x'], compression: 'none' };
    const requests = [1, 2, 3].map(() => store.layers.obtain('k1', meta, writer('layer bytes', calls, gate)));
    open();
    const results = await Promise.all(requests);
    expect(calls.count).toBe(1);
    expect(results.filter((r) => !r.cached)).toHaveLength(1);
    expect(new Set(results.map((r) => r.layer.digest)).size).toBe(1);

    const hit = await store.layers.obtain('k1', meta, writer('layer bytes', calls));
    expect(calls.count).toBe(1);
    expect(hit.cached).toBe(true);
    expect(store.layers.lookup('k1')).toMatchObject({ hits: 1, paths: ['/nix/store/aaaa-x'] });
  });

  it('takes every cached layer of a rebuild at once: each counted once and leased, misses left out', async () => {
    const store = await freshStore();
    const calls = { count: 0 };
    for (const key of ['a', 'b']) await store.layers.obtain(key, { paths: [`/nix/store/${key}-p`], compression: 'none' }, writer(`layer ${key}`, calls));
    const lease = store.leases.begin();
    const hits = store.layers.takeHits(['a', 'b', 'missing', 'a'], lease);
    expect([...hits.keys()].sort()).toEqual(['a', 'b']);
    expect(store.layers.lookup('a')).toMatchObject({ hits: 1 });
    expect(store.layers.lookup('b')).toMatchObject({ hits: 1 });
    // Leased: a gc meanwhile keeps them although no image refers to them.
    await collectGarbage(store);
    expect(store.content.has(hits.get('a')!.digest)).toBe(true);
    lease.end();
    await collectGarbage(store);
    expect(store.content.has(hits.get('a')!.digest)).toBe(false);
  });

  it('records nothing when the writer fails, and the next request writes again', async () => {
    const store = await freshStore();
    const failing = async (): Promise<LayerBlob> => {
      throw new Error('disk full');
    };
    await expect(store.layers.obtain('k2', { paths: [], compression: 'none' }, failing)).rejects.toThrow('disk full');
    expect(store.layers.lookup('k2')).toBeUndefined();
    const calls = { count: 0 };
    expect((await store.layers.obtain('k2', { paths: [], compression: 'none' }, writer('ok', calls))).cached).toBe(false);
  });
});

describe('gc', () => {
  async function storeWithImages(): Promise<{ store: Store; used: string; unused: string[] }> {
    const store = await freshStore();
    const calls = { count: 0 };
    const layer = async (key: string, content: string): Promise<string> =>
      (await store.layers.obtain(key, { paths: [], compression: 'none' }, writer(content, calls))).layer.digest;
    const unused = [await layer('old', 'x'.repeat(1000)), await layer('newer', 'y'.repeat(1000))];
    const used = await layer('used', 'z'.repeat(1000));
    // The used layer is the least recently used of all: gc must still take the unused ones first.
    store.content.touch(used, 1);
    store.content.touch(unused[0]!, 2);
    store.content.touch(unused[1]!, 3);
    await store.images.commit('keep', { config: { bytes: Buffer.from('{"c":1}') }, manifest: { bytes: Buffer.from('{"m":1}') }, layers: [used] });
    return { store, used, unused };
  }

  it('without a budget removes only what no image uses', async () => {
    const { store, used, unused } = await storeWithImages();
    const report = await collectGarbage(store);
    expect(report.removedBlobs).toBe(2);
    expect(report.removedImages).toEqual([]);
    for (const digest of unused) expect(store.content.has(digest)).toBe(false);
    expect(store.content.has(used)).toBe(true);
  });

  it('with a budget removes unused blobs oldest first and stops at the budget', async () => {
    const { store, used, unused } = await storeWithImages();
    const total = store.content.list().reduce((sum, b) => sum + b.size, 0);
    const report = await collectGarbage(store, { maxSize: total - 500 });
    expect(report.removedBlobs).toBe(1);
    expect(store.content.has(unused[0]!)).toBe(false);
    expect(store.content.has(unused[1]!)).toBe(true);
    expect(store.content.has(used)).toBe(true);
  });

  it('removes whole images, oldest first, when unused blobs are not enough', async () => {
    const { store, used } = await storeWithImages();
    const report = await collectGarbage(store, { maxSize: 0 });
    expect(report.removedImages).toEqual(['keep']);
    expect(store.content.has(used)).toBe(false);
    expect(report.sizeAfter).toBe(0);
    expect(JSON.parse(readFileSync(store.layout.indexFile, 'utf8')).manifests).toEqual([]);
  });
});

describe('gc of saved layer file indexes', () => {
  const DAY = 24 * 3600 * 1000;
  const index = (digest: string): LayerIndex => ({
    digest,
    diffId: digest,
    compressedSize: 10,
    uncompressedSize: 10,
    files: [{ path: 'etc/hostname', kind: 'file', size: 10, mode: 0o644 }],
    mentions: [],
    warnings: [],
  });
  afterEach(() => vi.useRealTimers());

  it('drops indexes of layers not in the store once nobody opened them for a month, and keeps the rest', async () => {
    const store = await freshStore();
    const inStore = (await store.layers.obtain('k', { paths: [], compression: 'none' }, writer('layer bytes', { count: 0 }))).layer.digest;
    await store.images.commit('app', { config: { bytes: Buffer.from('{"c":2}') }, manifest: { bytes: Buffer.from('{"m":2}') }, layers: [inStore] });
    const [stale, reopened] = [sha256Digest('registry layer 1'), sha256Digest('registry layer 2')];
    const indexes = new LayerIndexStore(store.db);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - 40 * DAY);
    for (const digest of [inStore, stale, reopened]) indexes.put(index(digest));
    vi.setSystemTime(Date.now() + 35 * DAY);
    expect(indexes.get(reopened)?.files).toHaveLength(1); // opened again five days ago
    vi.useRealTimers();

    const report = await collectGarbage(store);
    expect(report.removedIndexes).toBe(1);
    expect(indexes.get(stale)).toBeUndefined();
    expect(indexes.get(reopened)?.files.map((f) => f.path)).toEqual(['etc/hostname']);
    expect(indexes.get(inStore)).toBeDefined(); // its layer is still in the store, however old the index
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM layer_index_files WHERE layer_digest = ?').get(stale)).toEqual({ n: 0 });
  });
});

describe('leases', () => {
  it('keep the layers a build holds from gc until the build ends, and gc then takes them', async () => {
    const store = await freshStore();
    const lease = store.leases.begin();
    const written = await store.layers.obtain('fresh', { paths: [], compression: 'none' }, writer('just written', { count: 0 }), undefined, lease);
    const old = (await store.layers.obtain('old', { paths: [], compression: 'none' }, writer('left by an old build', { count: 0 }))).layer.digest;
    // A cache hit is held too: the build will put it in its image.
    const hit = await store.layers.obtain('old', { paths: [], compression: 'none' }, writer('never called', { count: 0 }), undefined, lease);
    expect(hit.cached).toBe(true);

    expect((await collectGarbage(store)).removedBlobs).toBe(0);
    expect(store.content.has(written.layer.digest) && store.content.has(old)).toBe(true);
    lease.end();
    expect((await collectGarbage(store)).removedBlobs).toBe(2);
  });

  it('of a process that is gone, or older than their time, hold nothing', async () => {
    const store = await freshStore();
    const digest = (await store.layers.obtain('k', { paths: [], compression: 'none' }, writer('a killed build wrote this', { count: 0 }))).layer.digest;
    // What `lamina build` killed with -9 leaves behind: a lease whose process is gone.
    store.db.prepare('INSERT INTO blob_leases (lease_id, digest, owner, expires_at) VALUES (?, ?, ?, ?)').run('dead', digest, `${hostname()}:2147483646:1`, Date.now() + 3600_000);
    expect((await collectGarbage(store)).removedBlobs).toBe(1);

    const kept = (await store.layers.obtain('k2', { paths: [], compression: 'none' }, writer('held for a while', { count: 0 }), undefined, store.leases.begin())).layer.digest;
    expect((await collectGarbage(store)).removedBlobs).toBe(0);
    expect((await collectGarbage(store, { now: Date.now() + LEASE_MS + 1000 })).removedBlobs).toBe(1);
    expect(store.content.has(kept)).toBe(false);
  });
});
