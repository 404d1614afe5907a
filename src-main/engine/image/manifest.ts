/**
 * OCI manifests and their bytes. Lamina serialises with a fixed key order and no
 * whitespace, so the same image always has the same manifest digest.
 */
import { sha256Digest } from './sha256.js';
import { MediaType } from './media-types.js';
import type { Descriptor, ImageConfig, Manifest } from './model.js';

export interface Serialized<T> {
  readonly value: T;
  readonly bytes: Buffer;
  readonly descriptor: Descriptor;
}

export function serializeConfig(config: ImageConfig): Serialized<ImageConfig> {
  const bytes = Buffer.from(JSON.stringify(config));
  return { value: config, bytes, descriptor: { mediaType: MediaType.ociConfig, digest: sha256Digest(bytes), size: bytes.length } };
}

export function serializeManifest(config: Descriptor, layers: readonly Descriptor[]): Serialized<Manifest> {
  const manifest: Manifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: plainDescriptor(config),
    layers: layers.map(plainDescriptor),
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  return { value: manifest, bytes, descriptor: { mediaType: MediaType.ociManifest, digest: sha256Digest(bytes), size: bytes.length } };
}

/** mediaType, digest, size in that order, and annotations only if there are some. */
function plainDescriptor(d: Descriptor): Descriptor {
  return {
    mediaType: d.mediaType,
    digest: d.digest,
    size: d.size,
    ...(d.annotations && Object.keys(d.annotations).length ? { annotations: d.annotations } : {}),
  };
}
