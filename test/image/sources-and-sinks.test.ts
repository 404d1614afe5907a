import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openLocation, writeLocation } from '../../src-main/engine/locations.js';
import { tempDir } from '../builder/helpers.js';
import { randomImage, readAll } from './random-image.js';

const files = fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.uint8Array({ maxLength: 2048 }), { minKeys: 1, maxKeys: 4 });
const images = fc.record({ layers: fc.array(files, { minLength: 1, maxLength: 4 }), compression: fc.constantFrom('gzip' as const, 'none' as const) });

describe('image sources and sinks', () => {
  it('an OCI layout gives back exactly the image written to it', async () => {
    await fc.assert(
      fc.asyncProperty(images, async ({ layers, compression }) => {
        const image = await randomImage(layers, compression);
        const dir = tempDir('oci-prop');
        await writeLocation(image, `oci:${dir}:t`);
        const opened = await openLocation(`oci:${dir}:t`);
        expect(opened.image.manifestDigest).toBe(image.manifestDigest);
        expect(opened.image.rawConfig).toEqual(image.rawConfig);
        for (const [i, layer] of opened.image.layers.entries()) {
          expect(await readAll(layer.open())).toEqual(await readAll(image.layers[i]!.open()));
        }
      }),
      { numRuns: 15 },
    );
  });

  it('a docker archive gives back the same config and layer contents', async () => {
    await fc.assert(
      fc.asyncProperty(images, async ({ layers, compression }) => {
        const image = await randomImage(layers, compression);
        const file = join(tempDir('archive-prop'), 'image.tar');
        await writeLocation(image, `docker-archive:${file}:prop:t`);
        const opened = await openLocation(`docker-archive:${file}:prop:t`);
        try {
          expect(opened.image.rawConfig).toEqual(image.rawConfig);
          expect(opened.image.layers.map((l) => l.diffId)).toEqual(image.layers.map((l) => l.diffId));
          // Archive layers are plain tars: their digest is the diff_id.
          expect(opened.image.layers.map((l) => l.descriptor.digest)).toEqual(image.layers.map((l) => l.diffId));
        } finally {
          await opened.close();
        }
      }),
      { numRuns: 15 },
    );
  });

  it('several names share one OCI layout, and writing a name again moves it', async () => {
    const dir = tempDir('oci-names');
    const a = await randomImage([{ a: Buffer.from('a') }], 'gzip');
    const b = await randomImage([{ b: Buffer.from('b') }], 'gzip');
    await writeLocation(a, `oci:${dir}:one`);
    await writeLocation(b, `oci:${dir}:two`);
    await writeLocation(b, `oci:${dir}:one`);
    expect((await openLocation(`oci:${dir}:one`)).image.manifestDigest).toBe(b.manifestDigest);
    expect((await openLocation(`oci:${dir}:two`)).image.manifestDigest).toBe(b.manifestDigest);
    await expect(openLocation(`oci:${dir}`)).rejects.toThrow(/holds 2 images; name one/);
  });
});
