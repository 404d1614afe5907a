/**
 * Exporting from the store to an OCI layout shares the blobs' bytes (a reflink
 * where the file system has them, else a hard link) instead of copying them, and
 * falls back to a checked copy on another file system.
 */
import { constants, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildImage, type BuildResult } from '../../src-main/engine/builder/pipeline.js';
import { writeOciLayout } from '../../src-main/engine/image/oci-layout-writer.js';
import { imageFromStore } from '../../src-main/engine/store/image-source.js';
import type { Store } from '../../src-main/engine/store/store.js';
import { freshStore, run, skopeoInspect, smallRecipe, tempDir } from './helpers.js';

const recipe = smallRecipe(inject('testbedDir'), inject('testbedRoots'));

/** Whether this file system clones files (btrfs, XFS): then the export is a clone, not a link. */
function clones(dir: string): boolean {
  const probe = join(dir, 'probe');
  writeFileSync(probe, 'x');
  try {
    copyFileSync(probe, `${probe}.clone`, constants.COPYFILE_FICLONE_FORCE);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { force: true });
    rmSync(`${probe}.clone`, { force: true });
  }
}

describe('exporting to an OCI layout', () => {
  let store: Store;
  let built: BuildResult;
  const blobOf = (root: string, digest: string): string => join(root, 'blobs', 'sha256', digest.slice(7));

  beforeAll(async () => {
    store = await freshStore();
    built = await buildImage(store, recipe, { name: 'small' });
  });
  afterAll(() => store.close());

  it('shares each layer blob with the store on the same file system, and skopeo reads the result', async () => {
    const dir = tempDir('oci-linked');
    await writeOciLayout(await imageFromStore(store, 'small'), dir, 'v1');
    expect(skopeoInspect(`oci:${dir}:v1`).Digest).toBe(built.manifestDigest);
    const cloned = clones(dir);
    for (const layer of built.layers) {
      const exported = statSync(blobOf(dir, layer.digest));
      const stored = statSync(blobOf(store.layout.root, layer.digest));
      if (cloned) expect(readFileSync(blobOf(dir, layer.digest)).equals(readFileSync(blobOf(store.layout.root, layer.digest)))).toBe(true);
      else expect({ ino: exported.ino, nlink: exported.nlink >= 2 }).toEqual({ ino: stored.ino, nlink: true });
    }
  });

  it('copies, checked, to another file system, and the copy is the image', async () => {
    if (!existsSync('/dev/shm') || statSync('/dev/shm').dev === statSync(store.layout.root).dev) return;
    const dir = mkdtempSync('/dev/shm/lamina-oci-copy-');
    try {
      await writeOciLayout(await imageFromStore(store, 'small'), dir, 'v1');
      for (const layer of built.layers) expect(statSync(blobOf(dir, layer.digest)).ino).not.toBe(statSync(blobOf(store.layout.root, layer.digest)).ino);
      run('skopeo', ['copy', '--quiet', `oci:${dir}:v1`, `dir:${join(dir, 'check')}`]);
      expect(skopeoInspect(`oci:${dir}:v1`).Digest).toBe(built.manifestDigest);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
