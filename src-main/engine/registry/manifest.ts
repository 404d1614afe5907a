/**
 * What the registry code reads from manifests and indexes: an index's entries
 * (with the platform each runs on), and the Docker schema2 form of a manifest.
 * The schemas, and parseManifest/parseConfig, are the ones in image/validate.ts.
 */
import type { z } from 'zod';
import { LaminaError } from '../../../src-shared/errors.js';
import type { Manifest } from '../image/model.js';
import { indexSchema, manifestSchema, parseJson, parseManifest, type descriptorSchema } from '../image/validate.js';
import { dockerEquivalent, MediaType } from './media-types.js';

/** A descriptor as read, with what it does not name kept (an index entry's platform, a layer's urls). */
export type Descriptor = z.infer<typeof descriptorSchema>;
export type ImageIndex = z.infer<typeof indexSchema>;

/**
 * Old names of parseManifest and its result, kept only because registry/pull.ts
 * imports them while it is being rewritten elsewhere; new code uses
 * parseManifest from image/validate.ts.
 */
export type ImageManifest = Manifest;
export const parseImageManifest = parseManifest;

export function parseImageIndex(bytes: Buffer, what: string): ImageIndex {
  return parseJson(bytes, indexSchema, what);
}

/**
 * The same image as a Docker schema2 manifest, for registries that refuse OCI.
 * Blobs stay byte for byte the same; only the names of their types change, so a
 * zstd layer (which Docker schema2 cannot name) makes the conversion impossible.
 */
export function toDockerManifest(bytes: Buffer): Buffer {
  const manifest = parseJson(bytes, manifestSchema, 'the manifest');
  const rename = (mediaType: string, what: string): string => {
    const docker = dockerEquivalent(mediaType);
    if (docker) return docker;
    if (mediaType.startsWith('application/vnd.docker.')) return mediaType;
    throw new LaminaError(`the registry refuses OCI manifests and the ${what} type ${mediaType} has no Docker schema2 name; push to a registry that takes OCI`, 'no-docker-equivalent');
  };
  const strip = ({ annotations: _a, ...d }: Descriptor) => d;
  const { annotations: _annotations, artifactType: _artifactType, subject: _subject, ...rest } = manifest;
  const docker = {
    ...rest,
    mediaType: MediaType.dockerManifest,
    config: { ...strip(manifest.config), mediaType: rename(manifest.config.mediaType, 'config') },
    layers: manifest.layers.map((layer) => ({ ...strip(layer), mediaType: rename(layer.mediaType, 'layer') })),
  };
  return Buffer.from(JSON.stringify(docker));
}
