/**
 * Source: an image in Lamina's own store, by name. Metadata is read and checked
 * against its digests; layers stream from the store's blobs, checked as they flow.
 */
import { LaminaError } from '../../../src-shared/errors.js';
import type { Store } from './store.js';
import { DigestCheck } from '../image/layer-streams.js';
import type { Image, ImageLayer } from '../image/model.js';
import { parseConfig, parseManifest } from '../image/validate.js';

export async function imageFromStore(store: Store, name: string): Promise<Image> {
  const stored = store.images.get(name);
  if (!stored) throw new LaminaError(`no image named "${name}" in the store at ${store.layout.root}; see \`lamina images\``, 'not-found');
  const where = `image ${name} in the store`;
  const rawManifest = await store.content.read(stored.manifestDigest);
  const manifest = parseManifest(rawManifest, `the manifest of ${where}`);
  const rawConfig = await store.content.read(manifest.config.digest);
  const config = parseConfig(rawConfig, manifest.layers.length, `the config of ${where}`);
  const layers: ImageLayer[] = manifest.layers.map((descriptor, i) => {
    const record = store.layers.byDigest(descriptor.digest);
    return {
      descriptor,
      diffId: config.rootfs.diff_ids[i]!,
      ...(record ? { uncompressedSize: record.uncompressedSize } : {}),
      file: store.layout.blobPath(descriptor.digest),
      open: () => store.content.open(descriptor.digest).pipe(new DigestCheck(descriptor, `layer ${i + 1} of ${where}`)),
    };
  });
  return { manifest, rawManifest, manifestDigest: stored.manifestDigest, config, rawConfig, layers };
}
