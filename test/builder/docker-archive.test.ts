import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildImage, type BuildResult } from '../../src-main/engine/builder/pipeline.js';
import { openLocation } from '../../src-main/engine/locations.js';
import type { Store } from '../../src-main/engine/store/store.js';
import { freshStore, run, skopeoInspect, smallRecipe, tempDir } from './helpers.js';

describe('docker-archive export', () => {
  let store: Store;
  let built: BuildResult;
  const archive = join(tempDir('archive'), 'image.tar');

  beforeAll(async () => {
    store = await freshStore();
    const recipe = smallRecipe(inject('testbedDir'), inject('testbedRoots'), { compression: 'zstd', maxLayers: 4 });
    built = await buildImage(store, recipe, { name: 'small', out: `docker-archive:${archive}:lamina/small:v1` });
  });
  afterAll(() => store.close());

  it('is accepted by skopeo inspect, with the tag and the diff_ids of the build', () => {
    const inspected = skopeoInspect(`docker-archive:${archive}`) as { Layers: string[]; Architecture: string };
    // A docker archive holds uncompressed tars, so its layer digests are the diff_ids.
    expect(inspected.Layers).toEqual(built.layers.map((l) => l.diffId));
    expect(inspected.Architecture).toBe('amd64');
    const manifest = JSON.parse(run('tar', ['-xOf', archive, 'manifest.json'])) as { RepoTags: string[] }[];
    expect(manifest[0]!.RepoTags).toEqual(['lamina/small:v1']);
  });

  it('is copied by skopeo into an OCI layout with the same config', () => {
    const dir = tempDir('copied');
    run('skopeo', ['copy', `docker-archive:${archive}`, `oci:${dir}:copied`]);
    const config = skopeoInspect(`oci:${dir}:copied`, true) as { rootfs: { diff_ids: string[] } };
    expect(config.rootfs.diff_ids).toEqual(built.layers.map((l) => l.diffId));
  });

  it('reads back into the same image: same config bytes, layers that match their diff_ids', async () => {
    const opened = await openLocation(`docker-archive:${archive}:lamina/small:v1`);
    try {
      expect(opened.image.manifest.config.digest).toBe(built.configDigest);
      expect(opened.image.layers.map((l) => l.diffId)).toEqual(built.layers.map((l) => l.diffId));
    } finally {
      await opened.close();
    }
  });
});
