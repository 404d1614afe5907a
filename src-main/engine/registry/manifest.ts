import { z } from 'zod';
import { LaminaError } from '../../../src-shared/errors.js';
import { dockerEquivalent, MediaType } from './media-types.js';

const digestSchema = z.string().regex(/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/);

export const descriptorSchema = z.object({
  mediaType: z.string(),
  digest: digestSchema,
  size: z.number().int().nonnegative(),
  annotations: z.record(z.string(), z.string()).optional(),
  platform: z
    .object({ architecture: z.string(), os: z.string(), variant: z.string().optional() })
    .passthrough()
    .optional(),
}).passthrough();

export type Descriptor = z.infer<typeof descriptorSchema>;

export const imageManifestSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
}).passthrough();

export type ImageManifest = z.infer<typeof imageManifestSchema>;

export const imageIndexSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  manifests: z.array(descriptorSchema),
}).passthrough();

export type ImageIndex = z.infer<typeof imageIndexSchema>;

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new LaminaError(`${what} is not valid JSON`, 'bad-manifest');
  }
}

export function parseImageManifest(bytes: Buffer, what: string): ImageManifest {
  const parsed = imageManifestSchema.safeParse(parseJson(bytes, what));
  if (!parsed.success) throw new LaminaError(`${what} is not an image manifest: ${parsed.error.issues[0]?.message ?? 'wrong shape'}`, 'bad-manifest');
  return parsed.data;
}

export function parseImageIndex(bytes: Buffer, what: string): ImageIndex {
  const parsed = imageIndexSchema.safeParse(parseJson(bytes, what));
  if (!parsed.success) throw new LaminaError(`${what} is not an image index: ${parsed.error.issues[0]?.message ?? 'wrong shape'}`, 'bad-manifest');
  return parsed.data;
}

/**
 * The same image as a Docker schema2 manifest, for registries that refuse OCI.
 * Blobs stay byte for byte the same; only the names of their types change, so a
 * zstd layer (which Docker schema2 cannot name) makes the conversion impossible.
 */
export function toDockerManifest(bytes: Buffer): Buffer {
  const manifest = parseImageManifest(bytes, 'the manifest');
  const rename = (mediaType: string, what: string): string => {
    const docker = dockerEquivalent(mediaType);
    if (docker) return docker;
    if (mediaType.startsWith('application/vnd.docker.')) return mediaType;
    throw new LaminaError(`the registry refuses OCI manifests and the ${what} type ${mediaType} has no Docker schema2 name; push to a registry that takes OCI`, 'no-docker-equivalent');
  };
  const strip = ({ annotations: _a, ...d }: Descriptor) => d;
  const { annotations: _annotations, artifactType: _artifactType, subject: _subject, ...rest } = manifest as ImageManifest & { artifactType?: unknown; subject?: unknown };
  const docker = {
    ...rest,
    mediaType: MediaType.dockerManifest,
    config: { ...strip(manifest.config), mediaType: rename(manifest.config.mediaType, 'config') },
    layers: manifest.layers.map((layer) => ({ ...strip(layer), mediaType: rename(layer.mediaType, 'layer') })),
  };
  return Buffer.from(JSON.stringify(docker));
}
