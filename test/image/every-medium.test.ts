/**
 * One suite over every medium an image lives in, as containerd runs one suite
 * over every content store: Lamina's store (an image built from real Nix paths),
 * an OCI layout, a docker archive and a real registry. Each is opened through the
 * one switch (engine/locations.ts) and copied to every medium that can be written
 * (the two file media through writeLocation, a registry through a push); what
 * comes out is read back through the same switch and must be the same image: the
 * config's exact bytes, the same layer contents (diff_ids, checked by unpacking
 * every layer), and the same manifest digest wherever neither end is a docker
 * archive (which stores layers uncompressed under a manifest of its own).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildImage } from '../../src-main/engine/builder/pipeline.js';
import { decompressor } from '../../src-main/engine/image/layer-streams.js';
import { layerCompressionOf } from '../../src-main/engine/image/media-types.js';
import type { Image } from '../../src-main/engine/image/model.js';
import { openLocation, writeLocation, type LocationOptions } from '../../src-main/engine/locations.js';
import { RegistryClient } from '../../src-main/engine/registry/client.js';
import { pushImage } from '../../src-main/engine/registry/push.js';
import type { Store } from '../../src-main/engine/store/store.js';
import { freshStore, smallRecipe, tempDir } from '../builder/helpers.js';
import { startRegistry, type RunningRegistry } from '../registry/servers/registry-server.js';

type MediumName = 'store' | 'oci' | 'docker-archive' | 'registry';

/** Writes an image to a fresh place of one medium and answers the location to read it back from. */
type Sink = (image: Image, name: string) => Promise<string>;

/** Every layer's uncompressed tar, hashed as it streams out of the source: what an unpacking client gets. */
async function unpackedDigests(image: Image): Promise<string[]> {
  const digests: string[] = [];
  for (const layer of image.layers) {
    const hash = createHash('sha256');
    const compression = layerCompressionOf(layer.descriptor.mediaType);
    expect(compression, layer.descriptor.mediaType).toBeDefined();
    await pipeline(layer.open(), decompressor(compression!), new Writable({ write: (chunk: Buffer, _e, done) => (hash.update(chunk), done()) }));
    digests.push(`sha256:${hash.digest('hex')}`);
  }
  return digests;
}

describe('every medium is a source and a sink of the same image', () => {
  let store: Store;
  let registry: RunningRegistry;
  let built: Image;
  const options = (): LocationOptions => ({ store, tlsVerify: false });
  const sinks = (): Record<Exclude<MediumName, 'store'>, Sink> => ({
    oci: async (image, name) => {
      const location = `oci:${tempDir('medium-oci')}:${name}`;
      await writeLocation(image, location);
      return location;
    },
    'docker-archive': async (image, name) => {
      const location = `docker-archive:${join(tempDir('medium-archive'), 'image.tar')}:media/${name}:v1`;
      await writeLocation(image, location);
      return location;
    },
    registry: async (image, name) => {
      const client = new RegistryClient({ registry: registry.host, tlsVerify: false });
      try {
        await pushImage(client, { repository: `media/${name}`, tag: 'v1' }, image);
      } finally {
        await client.close();
      }
      return `docker://${registry.host}/media/${name}:v1`;
    },
  });
  /** Where the built image is found in each medium, written there from the store. */
  const sources = new Map<MediumName, string>();

  beforeAll(async () => {
    registry = await startRegistry();
    store = await freshStore();
    await buildImage(store, smallRecipe(inject('testbedDir'), ['bash'], { maxLayers: 3 }), { name: 'media-bash' });
    const opened = await openLocation('media-bash', options());
    built = opened.image;
    sources.set('store', 'media-bash');
    for (const [medium, sink] of Object.entries(sinks())) sources.set(medium as MediumName, await sink(built, `from-store-${medium}`));
  });
  afterAll(async () => {
    store?.close();
    await registry?.stop();
  });

  it('the image built into the store has layers whose contents are their diff_ids', async () => {
    expect(built.layers.length).toBeGreaterThan(1);
    expect(await unpackedDigests(built)).toEqual(built.config.rootfs.diff_ids);
  });

  for (const from of ['store', 'oci', 'docker-archive', 'registry'] as const) {
    for (const to of ['oci', 'docker-archive', 'registry'] as const) {
      it(`${from} -> ${to}: the same config, layer contents and (without an archive) manifest`, async () => {
        const source = await openLocation(sources.get(from)!, options());
        try {
          const written = await sinks()[to](source.image, `${from}-to-${to}`);
          const copy = await openLocation(written, options());
          try {
            expect(copy.image.rawConfig.equals(built.rawConfig)).toBe(true);
            expect(copy.image.config.rootfs.diff_ids).toEqual(built.config.rootfs.diff_ids);
            expect(await unpackedDigests(copy.image)).toEqual(built.config.rootfs.diff_ids);
            if (from !== 'docker-archive' && to !== 'docker-archive') expect(copy.image.manifestDigest).toBe(built.manifestDigest);
          } finally {
            await copy.close();
          }
        } finally {
          await source.close();
        }
      });
    }
  }

  it('a bare name is read from the store only when there is one, and a name the store lacks is one clear line', async () => {
    await expect(openLocation('media-bash')).rejects.toThrow(/is not an image location Lamina can write or read/);
    await expect(openLocation('no-such-image', options())).rejects.toThrow(/no image named "no-such-image" in the store/);
  });
});
