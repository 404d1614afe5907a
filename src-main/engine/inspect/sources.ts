/**
 * Where an inspected image comes from: `docker://HOST/REPO[:TAG|@DIGEST]` (a
 * registry), `oci:DIR[:TAG]` or `docker-archive:FILE[:NAME:TAG]`, all as one
 * shape whose layers open as verified streams. A registry reference that names
 * a multi-platform index needs a platform: without one, the error lists them
 * (see `listPlatforms`) so the caller can ask.
 */
import type { Readable } from 'node:stream';
import { LaminaError } from '../../../src-shared/errors.js';
import { openImage } from '../image/locations.js';
import type { Descriptor, Image, ImageConfig, Manifest } from '../image/model.js';
import { parseConfig, parseManifest } from '../image/validate.js';
import type { RegistryClient } from '../registry/client.js';
import type { CredentialSource, Credentials } from '../registry/credentials.js';
import type { ManifestBytes } from '../registry/image-source.js';
import { parseImageIndex } from '../registry/manifest.js';
import { isIndexType } from '../registry/media-types.js';
import { pullClient } from '../registry/pull-client.js';
import { pickPlatform } from '../registry/pull.js';
import type { Platform } from '../../../src-shared/image-model.js';
import { formatReference, parseReference, type ImageReference } from '../../../src-shared/reference.js';
import type { LayerSource } from './layer-index.js';

export interface SourceOptions {
  /** For a multi-platform index: which image to open. */
  readonly platform?: Platform;
  /** Registry credentials; by default those of docker's and podman's auth files. */
  readonly credentials?: Credentials | CredentialSource;
  /** false: accept any certificate and plain HTTP (skopeo's --tls-verify=false). */
  readonly tlsVerify?: boolean;
  /** A folder of ca.crt / client certificates instead of the registry's certs.d folder (skopeo's --cert-dir). */
  readonly certDir?: string;
  readonly signal?: AbortSignal;
}

export interface OpenedSource {
  /** The location as given, for messages. */
  readonly where: string;
  readonly manifest: Manifest;
  readonly rawManifest: Buffer;
  readonly manifestDigest: string;
  readonly config: ImageConfig;
  readonly rawConfig: Buffer;
  readonly layers: readonly LayerSource[];
  /** The platforms of the index the image was picked from, when there was one. */
  readonly indexPlatforms?: readonly Platform[];
  close(): Promise<void>;
}

const REGISTRY_PREFIX = 'docker://';

export async function openSource(ref: string, options: SourceOptions = {}): Promise<OpenedSource> {
  if (ref.startsWith(REGISTRY_PREFIX)) return openRemote(ref, options);
  const opened = await openImage(ref, options.signal);
  return { where: ref, ...fromImage(opened.image), close: () => opened.close() };
}

/** The platforms a reference offers: several for a multi-platform index, else the one of its image. */
export async function listPlatforms(ref: string, options: Omit<SourceOptions, 'platform'> = {}): Promise<Platform[]> {
  if (ref.startsWith(REGISTRY_PREFIX)) {
    const { client, reference, where } = await connect(ref, options);
    try {
      const top = await client.getManifest(reference.repository, referenceTag(reference));
      if (isIndexType(top.mediaType)) return indexPlatforms(top, where);
    } finally {
      await client.close();
    }
  }
  const source = await openSource(ref, options);
  try {
    return [platformOf(source.config)];
  } finally {
    await source.close();
  }
}

export function platformOf(config: ImageConfig): Platform {
  const variant = (config as { variant?: unknown }).variant;
  return { os: config.os, architecture: config.architecture, ...(typeof variant === 'string' && variant ? { variant } : {}) };
}

/** `OS/ARCH[/VARIANT]`, as docker's --platform takes it: `linux/arm64/v8`. */
export function parsePlatform(text: string): Platform {
  const match = /^([a-z0-9]+)\/([a-z0-9_]+)(?:\/([a-z0-9]+))?$/.exec(text);
  if (!match) throw new LaminaError(`"${text}" is not a platform; write OS/ARCH or OS/ARCH/VARIANT, e.g. linux/amd64 or linux/arm64/v8`, 'bad-platform');
  return { os: match[1]!, architecture: match[2]!, ...(match[3] ? { variant: match[3] } : {}) };
}

export function formatPlatform(platform: Platform): string {
  return `${platform.os}/${platform.architecture}${platform.variant ? `/${platform.variant}` : ''}`;
}

function fromImage(image: Image): Omit<OpenedSource, 'where' | 'close'> {
  return {
    manifest: image.manifest,
    rawManifest: image.rawManifest,
    manifestDigest: image.manifestDigest,
    config: image.config,
    rawConfig: image.rawConfig,
    layers: image.layers.map((layer) => ({
      descriptor: layer.descriptor,
      diffId: layer.diffId,
      ...(layer.uncompressedSize !== undefined ? { uncompressedSize: layer.uncompressedSize } : {}),
      open: async () => layer.open(),
    })),
  };
}

async function connect(ref: string, options: SourceOptions): Promise<{ client: RegistryClient; reference: ImageReference; where: string }> {
  const asked = parseReference(ref.slice(REGISTRY_PREFIX.length));
  const { client, reference } = await pullClient(asked, {
    ...(options.tlsVerify !== undefined ? { tlsVerify: options.tlsVerify } : {}),
    ...(options.certDir !== undefined ? { certDir: options.certDir } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { client, reference, where: `${REGISTRY_PREFIX}${formatReference(asked)}` };
}

function referenceTag(reference: ImageReference): string {
  return reference.digest ?? reference.tag ?? 'latest';
}

function indexPlatforms(index: ManifestBytes, where: string): Platform[] {
  return parseImageIndex(index.bytes, `the index of ${where}`).manifests.flatMap((m) =>
    m.platform ? [{ os: m.platform.os, architecture: m.platform.architecture, ...(m.platform.variant ? { variant: m.platform.variant } : {}) }] : [],
  );
}

async function openRemote(ref: string, options: SourceOptions): Promise<OpenedSource> {
  const { client, reference, where } = await connect(ref, options);
  try {
    const { repository } = reference;
    let manifestBytes = await client.getManifest(repository, referenceTag(reference));
    let platforms: Platform[] | undefined;
    if (isIndexType(manifestBytes.mediaType)) {
      platforms = indexPlatforms(manifestBytes, where);
      const offered = platforms.map(formatPlatform).join(', ') || 'none';
      if (!options.platform) {
        throw new LaminaError(`${where} is a multi-platform index (${offered}); choose one with --platform OS/ARCH`, 'platform-required');
      }
      const entry = pickPlatform(parseImageIndex(manifestBytes.bytes, `the index of ${where}`).manifests, options.platform);
      if (!entry) throw new LaminaError(`${where} has no image for ${formatPlatform(options.platform)} (it has ${offered})`, 'no-platform');
      manifestBytes = await client.getManifest(repository, entry.digest);
    }
    const manifest = parseManifest(manifestBytes.bytes, `the manifest of ${where}`);
    const rawConfig = await client.getBlobBytes(repository, manifest.config.digest, manifest.config.size);
    const config = parseConfig(rawConfig, manifest.layers.length, `the config of ${where}`);
    const layers = manifest.layers.map(
      (descriptor: Descriptor, i): LayerSource => ({
        descriptor,
        diffId: config.rootfs.diff_ids[i]!,
        open: (): Promise<Readable> => client.getBlob(repository, descriptor.digest, descriptor.size),
      }),
    );
    return {
      where,
      manifest: { ...manifest, mediaType: manifest.mediaType || manifestBytes.mediaType },
      rawManifest: manifestBytes.bytes,
      manifestDigest: manifestBytes.digest,
      config,
      rawConfig,
      layers,
      ...(platforms ? { indexPlatforms: platforms } : {}),
      close: () => client.close(),
    };
  } catch (err) {
    await client.close();
    throw err;
  }
}
