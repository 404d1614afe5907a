import { existsSync, lstatSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BuildEvent } from '../../src-shared/build-events.js';
import { buildImage, type BuildResult } from '../../src-main/engine/builder/pipeline.js';
import { hashFile } from '../../src-main/engine/image/sha256.js';
import { verifyStore } from '../../src-main/engine/store/verify.js';
import type { Store } from '../../src-main/engine/store/store.js';
import { freshStore, nixClosure, run, skopeoInspect, smallRecipe, tempDir } from './helpers.js';

const source = inject('testbedDir');
const roots = inject('testbedRoots');
const outPaths = inject('testbedOutPaths');
const recipe = smallRecipe(source, roots);

describe('building an image of the small test package set', () => {
  let store: Store;
  let first: BuildResult;
  const ociDir = tempDir('oci-out');
  const events: BuildEvent[] = [];

  beforeAll(async () => {
    store = await freshStore();
    first = await buildImage(store, recipe, { name: 'small', out: `oci:${ociDir}:v1`, onEvent: (e) => events.push(e) });
  });
  afterAll(() => store.close());

  it('exports an OCI layout that skopeo accepts, with the layers and config Lamina reported', () => {
    const inspected = skopeoInspect(`oci:${ociDir}:v1`);
    expect(inspected.Digest).toBe(first.manifestDigest);
    expect(inspected.Layers).toEqual(first.layers.map((l) => l.digest));
    expect(inspected.Architecture).toBe('amd64');
    const config = skopeoInspect(`oci:${ociDir}:v1`, true) as {
      rootfs: { diff_ids: string[] };
      config: { Cmd: string[] };
      history: { comment: string }[];
    };
    expect(config.rootfs.diff_ids).toEqual(first.layers.map((l) => l.diffId));
    expect(config.config.Cmd).toEqual(['/bin/bash']);
    // One history entry per layer, naming the store paths it holds.
    expect(config.history).toHaveLength(first.layers.length);
    first.layers.forEach((layer, i) => {
      for (const path of layer.paths) expect(config.history[i]!.comment).toContain(path.slice('/nix/store/'.length + 33));
    });
  });

  it('keeps the image in the store, readable as oci:<home>:<name>', () => {
    expect(skopeoInspect(`oci:${store.layout.root}:small`).Digest).toBe(first.manifestDigest);
    expect(store.images.list().map((i) => i.name)).toEqual(['small']);
  });

  it('puts every store path of the closure into the layers exactly once, customisation layer last', () => {
    const storeLayers = first.layers.filter((l) => l.kind === 'store-paths');
    const inLayers = storeLayers.flatMap((l) => l.paths).sort();
    expect(inLayers).toEqual(nixClosure(roots.map((r) => outPaths[r]!)));
    expect(first.layers.at(-1)!.kind).toBe('customisation');
    expect(first.layers.length).toBeLessThanOrEqual(recipe.maxLayers);
  });

  it('unpacks with umoci into a tree whose store paths are byte for byte the store, and whose links resolve', () => {
    const bundle = join(tempDir('umoci'), 'bundle');
    run('umoci', ['unpack', '--image', `${ociDir}:v1`, bundle]);
    const rootfs = join(bundle, 'rootfs');
    for (const path of nixClosure(roots.map((r) => outPaths[r]!))) {
      // diff exits non-zero on any difference in content, type, or link target.
      run('diff', ['--recursive', '--no-dereference', path, join(rootfs, path)]);
    }
    let links = 0;
    for (const dir of ['bin', 'sbin', 'lib', 'share', 'etc']) {
      if (!existsSync(join(rootfs, dir))) continue;
      for (const name of readdirSync(join(rootfs, dir))) {
        const entry = join(rootfs, dir, name);
        if (!lstatSync(entry).isSymbolicLink()) continue;
        const target = readlinkSync(entry);
        expect(target.startsWith('/nix/store/')).toBe(true);
        expect(existsSync(join(rootfs, target)), `${dir}/${name} -> ${target}`).toBe(true);
        links++;
      }
    }
    expect(links).toBeGreaterThan(10);
    expect(existsSync(join(rootfs, 'bin', 'bash'))).toBe(true);
  });

  it('reports phases in order and a done event for each layer', () => {
    const phases = events.flatMap((e) => (e.type === 'phase' ? [e.phase] : []));
    expect(phases).toEqual(['nix-build', 'closure', 'plan', 'layers', 'image', 'export', 'done']);
    const done = events.filter((e) => e.type === 'layer-done');
    expect(done.map((e) => e.index).sort()).toEqual(first.layers.map((l) => l.index));
    expect(done.every((e) => !e.cached)).toBe(true);
  });

  it('does no layer work the second time: every layer is a cache hit and the image is identical', async () => {
    const again = await buildImage(store, recipe, { name: 'small' });
    expect(again.layers.every((l) => l.cached)).toBe(true);
    expect(again.manifestDigest).toBe(first.manifestDigest);
    expect(store.layers.list().every((l) => l.hits >= 1)).toBe(true);
  });

  it('gives the same manifest digest from another empty store', async () => {
    const other = await freshStore();
    try {
      const result = await buildImage(other, recipe, { name: 'elsewhere' });
      expect(result.manifestDigest).toBe(first.manifestDigest);
    } finally {
      other.close();
    }
  });

  it('finds a damaged blob with verify, drops it with its image, and the next build writes it again', async () => {
    const victim = first.layers[1]!;
    writeFileSync(store.layout.blobPath(victim.digest), 'not the layer any more');
    const report = await verifyStore(store);
    expect(report.damaged.map((d) => d.digest)).toEqual([victim.digest]);
    expect(report.damaged[0]!.droppedImages).toEqual(['small']);
    expect(store.content.has(victim.digest)).toBe(false);
    expect(store.images.list()).toEqual([]);

    const rebuilt = await buildImage(store, recipe, { name: 'small' });
    expect(rebuilt.manifestDigest).toBe(first.manifestDigest);
    expect(rebuilt.layers.filter((l) => !l.cached).map((l) => l.digest)).toEqual([victim.digest]);
    expect(await hashFile(store.layout.blobPath(victim.digest))).toEqual({ digest: victim.digest, size: victim.size });
    expect((await verifyStore(store)).damaged).toEqual([]);
  });
});
