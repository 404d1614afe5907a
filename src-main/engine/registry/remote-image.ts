/**
 * Source: an image in a registry, by tag or digest. A multi-platform index is
 * resolved to the image for the platform asked for (or refused, naming the
 * platforms it has, when none was asked for); manifest and config are read and
 * checked, and each layer streams from the registry when opened, checked against
 * its digest and size as it flows (RegistryClient.getBlob).
 */
import { Readable } from 'node:stream';
import { LaminaError } from '../../../src-shared/errors.js';
import type { Platform } from '../../../src-shared/image-model.js';
import type { Image, ImageLayer } from '../image/model.js';
import { formatPlatform, pickPlatform } from '../image/platform.js';
import { parseConfig, parseManifest } from '../image/validate.js';
import type { RegistryClient } from './client.js';
import { parseImageIndex } from '../image/validate.js';
import { isIndexType } from '../image/media-types.js';

export interface RemoteImage {
  readonly image: Image;
  /** The platforms of the index the image was picked from, when the reference named one. */
  readonly indexPlatforms?: readonly Platform[];
  /** That index's exact bytes (what `inspect --raw` shows for it). */
  readonly rawIndex?: Buffer;
}

export interface RemoteImageOptions {
  /** Which image of a multi-platform index; without one, an index is refused with the list of its platforms. */
  readonly platform?: Platform;
  /** How messages name the image; `HOST/REPOSITORY:REFERENCE` by default. */
  readonly where?: string;
}

export async function readRemoteImage(client: RegistryClient, repository: string, reference: string, options: RemoteImageOptions = {}): Promise<RemoteImage> {
  const where = options.where ?? `${client.registry}/${repository}${reference.includes(':') ? '@' : ':'}${reference}`;
  let top = await client.getManifest(repository, reference);
  let picked: Pick<RemoteImage, 'indexPlatforms' | 'rawIndex'> = {};
  if (isIndexType(top.mediaType)) {
    const index = parseImageIndex(top.bytes, `the index of ${where}`);
    const platforms = index.manifests.flatMap((m) =>
      m.platform ? [{ os: m.platform.os, architecture: m.platform.architecture, ...(m.platform.variant ? { variant: m.platform.variant } : {}) }] : [],
    );
    const offered = platforms.map(formatPlatform).join(', ') || 'none';
    if (!options.platform) throw new LaminaError(`${where} is a multi-platform index (${offered}); choose one with --platform OS/ARCH`, 'platform-required');
    const entry = pickPlatform(index.manifests, options.platform);
    if (!entry) throw new LaminaError(`${where} has no image for ${formatPlatform(options.platform)} (it has ${offered})`, 'no-platform');
    picked = { indexPlatforms: platforms, rawIndex: top.bytes };
    top = await client.getManifest(repository, entry.digest);
  }
  const parsed = parseManifest(top.bytes, `the manifest of ${where}`);
  const rawConfig = await client.getBlobBytes(repository, parsed.config.digest, parsed.config.size);
  const config = parseConfig(rawConfig, parsed.layers.length, `the config of ${where}`);
  const layers = parsed.layers.map(
    (descriptor, i): ImageLayer => ({
      descriptor,
      diffId: config.rootfs.diff_ids[i]!,
      open: () => deferred(() => client.getBlob(repository, descriptor.digest, descriptor.size)),
    }),
  );
  const image: Image = {
    manifest: { ...parsed, mediaType: parsed.mediaType || top.mediaType },
    rawManifest: top.bytes,
    manifestDigest: top.digest,
    config,
    rawConfig,
    layers,
  };
  return { image, ...picked };
}

/**
 * A stream now for one that needs a request first: nothing is asked of the
 * registry until the stream is read, and destroying it stops the download.
 */
function deferred(open: () => Promise<Readable>): Readable {
  return Readable.from(
    (async function* () {
      yield* await open();
    })(),
    { objectMode: false },
  );
}
