/**
 * How a layer blob's media type names its compression, both ways, and the OCI
 * layout's name annotation. The media types themselves are in the one table,
 * registry/media-types.ts.
 */
import { MediaType } from '../registry/media-types.js';

export type LayerCompression = 'gzip' | 'zstd' | 'none';

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
