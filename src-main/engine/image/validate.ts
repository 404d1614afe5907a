/**
 * Checks for image metadata read from outside (an OCI layout, a docker archive,
 * the store's files): the shape of the JSON, digests that are digests, sizes that
 * are sizes, and a config that agrees with its manifest. Each failure is one line
 * naming the file and what is wrong. The same schemas check what a registry
 * sends; registry/manifest.ts reads indexes and converts manifests with them.
 */
import { z } from 'zod';
import { LaminaError } from '../../../src-shared/errors.js';
import { isDigest } from './digest.js';
import type { ImageConfig, Manifest } from './model.js';

const digest = z.string().refine(isDigest, 'not a sha256 digest');
const size = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** What an index entry says it runs on; registries pick by it. */
const platformSchema = z.looseObject({ architecture: z.string(), os: z.string(), variant: z.string().optional() });

/**
 * The schemas keep fields they do not name (urls, artifactType, subject, ...):
 * a manifest converted for a registry, or an index.json rewritten with a new
 * tag, must not lose what another tool wrote.
 */
export const descriptorSchema = z.looseObject({
  mediaType: z.string().min(1),
  digest,
  size,
  annotations: z.record(z.string(), z.string()).optional(),
  platform: platformSchema.optional(),
});

export const manifestSchema = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
  annotations: z.record(z.string(), z.string()).optional(),
});

export const indexSchema = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  manifests: z.array(descriptorSchema),
});

export const layoutSchema = z.object({ imageLayoutVersion: z.string() });

const configSchema = z.looseObject({
  architecture: z.string(),
  os: z.string(),
  rootfs: z.object({ type: z.literal('layers'), diff_ids: z.array(digest) }),
});

export function parseJson<T>(bytes: Buffer, schema: z.ZodType<T>, what: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new LaminaError(`${what} is not valid JSON; the image is damaged or not an image`, 'bad-image');
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new LaminaError(`${what} is malformed${where}: ${issue?.message ?? 'unexpected shape'}`, 'bad-image');
  }
  return result.data;
}

/** A descriptor as read, with what it does not name kept (an index entry's platform, a layer's urls). */
export type Descriptor = z.infer<typeof descriptorSchema>;
export type ImageIndex = z.infer<typeof indexSchema>;

/** A multi-platform index: its entries, each with the platform it runs on. */
export function parseImageIndex(bytes: Buffer, what: string): ImageIndex {
  return parseJson(bytes, indexSchema, what);
}

export function parseManifest(bytes: Buffer, what: string): Manifest {
  const parsed = parseJson(bytes, manifestSchema, what);
  return { ...parsed, mediaType: parsed.mediaType ?? '' } as Manifest;
}

/** Parses a config and checks it has one diff_id per layer. */
export function parseConfig(bytes: Buffer, layerCount: number, what: string): ImageConfig {
  const config = parseJson(bytes, configSchema, what) as unknown as ImageConfig;
  if (config.rootfs.diff_ids.length !== layerCount) {
    throw new LaminaError(
      `${what} lists ${config.rootfs.diff_ids.length} layer diff_ids but the image has ${layerCount} layers; the image is inconsistent`,
      'bad-image',
    );
  }
  return config;
}
