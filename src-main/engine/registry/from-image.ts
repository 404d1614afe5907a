import { Readable } from 'node:stream';
import type { Image } from '../image/model.js';
import type { PushableImage } from './image-source.js';

/**
 * Any source's Image as a push: the config's exact bytes, then the layers in
 * manifest order. An Image's layer streams check themselves against their
 * descriptors (see ImageLayer.open), so the push does not hash them again.
 */
export function pushableImage(image: Image): PushableImage {
  const config = image.manifest.config;
  return {
    manifest: { bytes: image.rawManifest, mediaType: image.manifest.mediaType, digest: image.manifestDigest },
    blobs: [
      { digest: config.digest, size: config.size, mediaType: config.mediaType, open: async () => Readable.from([image.rawConfig]) },
      ...image.layers.map((layer) => ({ ...layer.descriptor, selfChecked: true, open: async () => layer.open() })),
    ],
  };
}
