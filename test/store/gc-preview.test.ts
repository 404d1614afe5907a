import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Digest } from '../../src-main/engine/image/sha256.js';
import { collectGarbage } from '../../src-main/engine/store/gc.js';
import { previewGc } from '../../src-main/engine/store/gc-preview.js';
import { openStore } from '../../src-main/engine/store/store.js';

const storeShape = fc.record({
  layers: fc.array(fc.record({ size: fc.integer({ min: 4, max: 4000 }), lastUsed: fc.integer({ min: 1, max: 5 }), leased: fc.boolean() }), {
    minLength: 1,
    maxLength: 6,
  }),
  images: fc.array(fc.record({ layers: fc.array(fc.nat(), { maxLength: 4 }), createdAt: fc.integer({ min: 1, max: 4 }) }), { maxLength: 3 }),
  budget: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  keepNewest: fc.boolean(),
});

describe('gc preview', () => {
  it('names exactly what gc then removes, for any store and budget, and both keep what a running build holds', async () => {
    await fc.assert(
      fc.asyncProperty(storeShape, async (shape) => {
        const store = await openStore(mkdtempSync(join(tmpdir(), 'lamina-gc-preview-')));
        try {
          const digests: string[] = [];
          const lease = store.leases.begin();
          const held = new Set<string>();
          for (const [i, layer] of shape.layers.entries()) {
            const content = `${i}:`.padEnd(layer.size, 'x');
            const written = await store.layers.obtain(`key-${i}`, { paths: [], compression: 'none' }, async (file) => {
              await writeFile(file, content);
              const digest = sha256Digest(content);
              return { digest, diffId: digest, size: layer.size, uncompressedSize: layer.size, mediaType: 'application/vnd.oci.image.layer.v1.tar' };
            }, undefined, layer.leased ? lease : undefined);
            digests.push(written.layer.digest);
            if (layer.leased) held.add(written.layer.digest);
            store.content.touch(written.layer.digest, layer.lastUsed);
          }
          for (const [i, image] of shape.images.entries()) {
            const layers = [...new Set(image.layers.map((n) => digests[n % digests.length]!))];
            await store.images.commit(`image-${i}`, { manifest: { bytes: Buffer.from(`{"m":${i}}`) }, config: { bytes: Buffer.from(`{"c":${i}}`) }, layers });
            store.db.prepare('UPDATE images SET created_at = ? WHERE name = ?').run(image.createdAt, `image-${i}`);
          }
          const before = new Set(store.content.list().map((blob) => blob.digest));
          const total = store.content.list().reduce((sum, blob) => sum + blob.size, 0);
          const maxSize = shape.budget === undefined ? undefined : Math.floor(shape.budget * total);
          const options = { ...(maxSize === undefined ? {} : { maxSize }), keepNewest: shape.keepNewest };
          const newest = store.db.prepare('SELECT name FROM images ORDER BY created_at DESC, name DESC LIMIT 1').get() as { name: string } | undefined;
          const preview = previewGc(store.db, options);
          const report = await collectGarbage(store, options);
          const gone = [...before].filter((digest) => !store.content.has(digest)).sort();
          expect(preview.blobs.map((blob) => blob.digest).sort()).toEqual(gone);
          expect(preview.images).toEqual(report.removedImages);
          expect(preview.freedBytes).toBe(report.freedBytes);
          expect(preview.sizeAfter).toBe(report.sizeAfter);
          // Asked to, gc keeps the newest image whatever the budget, and the preview says when that leaves it over.
          if (shape.keepNewest && newest) {
            expect(report.removedImages).not.toContain(newest.name);
            expect(preview.newestKept).toBe(maxSize !== undefined && report.sizeAfter > maxSize ? newest.name : null);
          }
          for (const digest of held) expect(store.content.has(digest)).toBe(true);
          expect(preview.blobs.some((blob) => blob.leased)).toBe(false);
        } finally {
          store.close();
        }
      }),
      { numRuns: 30 },
    );
  });
});
