/**
 * The one switch over where images live. A location is `docker://HOST/REPO[:TAG|@DIGEST]`
 * (a registry), `oci:DIR[:TAG]` (an OCI layout), `docker-archive:FILE[:NAME:TAG]`
 * (what `docker save` writes) or the name of an image in Lamina's store; reading
 * any of them gives an `Image` (image/model.ts), which inspect, push, export and
 * the Images view all take. Writing goes to the two file media; a registry is
 * written by a push (registry/push.ts), which needs a client and its options.
 *
 * Each medium's code is loaded when a location of its kind is first used: a
 * command that pushes a store image never loads the archive readers, and one
 * that exports never loads the registry client.
 */
import { LaminaError } from '../../src-shared/errors.js';
import type { Platform } from '../../src-shared/image-model.js';
import { formatReference, parseReference } from '../../src-shared/reference.js';
import type { Image, OpenedImage } from './image/model.js';
import { platformOf } from './image/platform.js';
import { parseImageLocation, type ImageLocation } from './image/transport.js';
import type { CredentialSource, Credentials } from './registry/credentials.js';
import type { Store } from './store/store.js';

export const REGISTRY_PREFIX = 'docker://';

export interface LocationOptions {
  /** For a multi-platform index: which image to open. Without one, such an index is refused with its list of platforms. */
  readonly platform?: Platform;
  /** Registry credentials; by default those of docker's and podman's auth files. */
  readonly credentials?: Credentials | CredentialSource;
  /** false: accept any certificate and plain HTTP (skopeo's --tls-verify=false). */
  readonly tlsVerify?: boolean;
  /** A folder of ca.crt / client certificates instead of the registry's certs.d folder (skopeo's --cert-dir). */
  readonly certDir?: string;
  /** Lamina's store, for locations that are the name of an image in it. */
  readonly store?: Store;
  readonly signal?: AbortSignal;
}

/** Whether `spec` names a location outside the store (a prefix Lamina knows). */
export function isMediumLocation(spec: string): boolean {
  return spec.startsWith(REGISTRY_PREFIX) || spec.startsWith('oci:') || spec.startsWith('docker-archive:');
}

export async function openLocation(spec: string, options: LocationOptions = {}): Promise<OpenedImage> {
  if (spec.startsWith(REGISTRY_PREFIX)) return openRegistry(spec, options);
  if (spec.startsWith('oci:') || spec.startsWith('docker-archive:')) return openFile(spec, parseImageLocation(spec), options.signal);
  if (!options.store) parseImageLocation(spec); // throws the line that lists the locations Lamina reads
  const { imageFromStore } = await import('./store/image-source.js');
  return { image: await imageFromStore(options.store!, spec), where: spec, close: async () => undefined };
}

/** The platforms a location offers: several for a multi-platform index, else the one of its image. */
export async function listPlatforms(spec: string, options: Omit<LocationOptions, 'platform'> = {}): Promise<Platform[]> {
  if (spec.startsWith(REGISTRY_PREFIX)) {
    const { client, reference } = await connect(spec, options);
    try {
      const { isIndexType } = await import('./image/media-types.js');
      const top = await client.getManifest(reference.repository, reference.digest ?? reference.tag ?? 'latest');
      if (isIndexType(top.mediaType)) {
        const { parseImageIndex } = await import('./image/validate.js');
        return parseImageIndex(top.bytes, `the index of ${spec}`).manifests.flatMap((m) =>
          m.platform ? [{ os: m.platform.os, architecture: m.platform.architecture, ...(m.platform.variant ? { variant: m.platform.variant } : {}) }] : [],
        );
      }
    } finally {
      await client.close();
    }
  }
  const opened = await openLocation(spec, options);
  try {
    return [platformOf(opened.image.config)];
  } finally {
    await opened.close();
  }
}

async function openFile(spec: string, at: ImageLocation, signal?: AbortSignal): Promise<OpenedImage> {
  if (at.transport === 'oci') {
    const { readOciLayout } = await import('./image/oci-layout-reader.js');
    return { image: await readOciLayout(at.dir, at.tag), where: spec, close: async () => undefined };
  }
  const { readDockerArchive } = await import('./image/docker-archive-reader.js');
  const read = await readDockerArchive(at.file, at.reference, signal);
  return { image: read.image, where: spec, close: () => read.close() };
}

async function connect(spec: string, options: LocationOptions) {
  const asked = parseReference(spec.slice(REGISTRY_PREFIX.length));
  const { pullClient } = await import('./registry/pull-client.js');
  return pullClient(asked, {
    ...(options.tlsVerify !== undefined ? { tlsVerify: options.tlsVerify } : {}),
    ...(options.certDir !== undefined ? { certDir: options.certDir } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

async function openRegistry(spec: string, options: LocationOptions): Promise<OpenedImage> {
  const where = `${REGISTRY_PREFIX}${formatReference(parseReference(spec.slice(REGISTRY_PREFIX.length)))}`;
  const { client, reference } = await connect(spec, options);
  try {
    const { readRemoteImage } = await import('./registry/remote-image.js');
    const remote = await readRemoteImage(client, reference.repository, reference.digest ?? reference.tag ?? 'latest', {
      where,
      ...(options.platform ? { platform: options.platform } : {}),
    });
    return {
      image: remote.image,
      where,
      ...(remote.indexPlatforms ? { indexPlatforms: remote.indexPlatforms } : {}),
      ...(remote.rawIndex ? { rawIndex: remote.rawIndex } : {}),
      close: () => client.close(),
    };
  } catch (err) {
    await client.close();
    throw err;
  }
}

/** Why the file system refused, for a person; undefined for errors that are not about the place written to. */
const PLACE_PROBLEMS: Record<string, string> = {
  ENOENT: 'a folder on the way does not exist',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
};

/** Writes `image` to `oci:DIR[:TAG]` or `docker-archive:FILE[:NAME:TAG]`. */
export async function writeLocation(image: Image, location: string | ImageLocation, signal?: AbortSignal): Promise<void> {
  const at = typeof location === 'string' ? parseImageLocation(location) : location;
  const place = at.transport === 'oci' ? `oci:${at.dir}` : `docker-archive:${at.file}`;
  try {
    if (at.transport === 'oci') await (await import('./image/oci-layout-writer.js')).writeOciLayout(image, at.dir, at.tag, signal);
    else await (await import('./image/docker-archive-writer.js')).writeDockerArchive(image, at.file, at.reference, signal);
  } catch (err) {
    const problem = PLACE_PROBLEMS[(err as NodeJS.ErrnoException).code ?? ''];
    if (!problem) throw err;
    throw new LaminaError(`cannot write the image to ${place}: ${problem}; pick a writable place`, 'export-failed', { cause: err });
  }
}
