/**
 * The Docker schema2 form of a manifest, for registries that refuse OCI. The
 * schemas it reads with are the image's own (image/validate.ts).
 */
import { LaminaError } from '../../../src-shared/errors.js';
import { manifestSchema, parseJson, type Descriptor } from '../image/validate.js';
import { dockerEquivalent, MediaType } from '../image/media-types.js';

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
