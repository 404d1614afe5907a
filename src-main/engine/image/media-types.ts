/**
 * The media types Lamina reads and writes, OCI image spec v1 and Docker schema2
 * where it differs: the one table of them, what a registry client asks about
 * them, how a layer's media type names its compression (both ways), and the OCI
 * layout's name annotation.
 */
import type { LayerCompression } from '../../../src-shared/compressions.js';

export type { LayerCompression } from '../../../src-shared/compressions.js';

export const MediaType = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

export const MANIFEST_TYPES = [MediaType.ociManifest, MediaType.dockerManifest] as const;
export const INDEX_TYPES = [MediaType.ociIndex, MediaType.dockerManifestList] as const;

/**
 * What existence checks and pulls accept. Naming every type matters: distribution
 * answers 404 for an OCI manifest when the Accept header does not name OCI.
 */
export const ACCEPT_MANIFESTS = [...MANIFEST_TYPES, ...INDEX_TYPES].join(', ');

export function isIndexType(mediaType: string): boolean {
  return (INDEX_TYPES as readonly string[]).includes(mediaType);
}

export function isManifestType(mediaType: string): boolean {
  return (MANIFEST_TYPES as readonly string[]).includes(mediaType);
}

/** OCI -> Docker schema2 names, for registries that refuse OCI manifests. */
const TO_DOCKER: Record<string, string> = {
  [MediaType.ociManifest]: MediaType.dockerManifest,
  [MediaType.ociIndex]: MediaType.dockerManifestList,
  [MediaType.ociConfig]: MediaType.dockerConfig,
  [MediaType.ociLayerGzip]: MediaType.dockerLayerGzip,
};

export function dockerEquivalent(mediaType: string): string | undefined {
  return TO_DOCKER[mediaType];
}

export function layerMediaType(compression: LayerCompression): string {
  if (compression === 'gzip') return MediaType.ociLayerGzip;
  if (compression === 'zstd') return MediaType.ociLayerZstd;
  return MediaType.ociLayer;
}

/** How a layer blob of this media type is compressed, or undefined if Lamina cannot read it. */
export function layerCompressionOf(mediaType: string): LayerCompression | undefined {
  switch (mediaType) {
    case MediaType.ociLayerGzip:
    case MediaType.dockerLayerGzip:
      return 'gzip';
    case MediaType.ociLayerZstd:
      return 'zstd';
    case MediaType.ociLayer:
      return 'none';
    default:
      return undefined;
  }
}

/** The annotation on an index.json entry that names an image in an OCI layout (`oci:DIR:NAME`). */
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';
