import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BuildEvent } from '../../src-shared/build-events.js';
import { buildImage } from '../../src-main/engine/builder/pipeline.js';
import { hashFile } from '../../src-main/engine/image/sha256.js';
import type { Store } from '../../src-main/engine/store/store.js';
import { freshStore, smallRecipe } from './helpers.js';

const recipe = smallRecipe(inject('testbedDir'), inject('testbedRoots'), { maxLayers: 5 });

describe('builds at the same time, and cancelled builds', () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore();
  });
  afterAll(() => store.close());

  it('cancels mid-way with one clear error, leaving no ingest files and only whole blobs', async () => {
    const controller = new AbortController();
    const build = buildImage(store, recipe, {
      name: 'cancelled',
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'layer-started') controller.abort();
      },
    });
    await expect(build).rejects.toThrow(/build cancelled/);
    expect(readdirSync(store.layout.ingestDir)).toEqual([]);
    expect(store.images.list()).toEqual([]);
    for (const blob of store.content.list()) {
      expect(await hashFile(store.layout.blobPath(blob.digest))).toEqual({ digest: blob.digest, size: blob.size });
    }
  });

  it('writes each layer once when two builds need it at the same time', async () => {
    const writes: BuildEvent[] = [];
    const onEvent = (e: BuildEvent): void => {
      if (e.type === 'layer-done' && !e.cached) writes.push(e);
    };
    const [a, b] = await Promise.all([
      buildImage(store, recipe, { name: 'a', onEvent, layerConcurrency: 1 }),
      buildImage(store, recipe, { name: 'b', onEvent, layerConcurrency: 1 }),
    ]);
    expect(a.manifestDigest).toBe(b.manifestDigest);
    const layerWork = new Set(writes.map((e) => (e.type === 'layer-done' ? e.digest : '')));
    // Layers the cancelled build already finished are hits; every other layer was written by exactly one of the two.
    expect(writes.length).toBe(layerWork.size);
    expect(a.layers.filter((l) => !l.cached).length + b.layers.filter((l) => !l.cached).length).toBe(writes.length);
    expect(store.images.list().map((i) => i.name)).toEqual(['a', 'b']);
  });
});
