import { LaminaError } from '../../../src-shared/errors.js';
import type { RegistryClient } from './client.js';
import type { ManifestBytes } from './image-source.js';
import { isIndexType, isManifestType } from './media-types.js';
import { parseImageIndex, parseImageManifest, type Descriptor, type ImageManifest } from './manifest.js';
import type { Platform } from '../../../src-shared/image-model.js';

/** The platform of this machine in OCI's words (Node's arch names differ from Go's). */
export function hostPlatform(): Platform {
  const arch: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return { os: process.platform === 'win32' ? 'windows' : 'linux', architecture: arch[process.arch] ?? process.arch };
}

/** The entry of an index for `platform`: exact variant first, then any variant of the architecture. */
export function pickPlatform(manifests: readonly Descriptor[], platform: Platform): Descriptor | undefined {
  const candidates = manifests.filter((m) => isManifestType(m.mediaType) && m.platform?.os === platform.os && m.platform.architecture === platform.architecture);
  return candidates.find((m) => platform.variant === undefined || m.platform?.variant === platform.variant) ?? candidates[0];
}

export interface RemoteImage {
  /** The manifest of the image itself (after picking from an index). */
  readonly manifest: ManifestBytes;
  readonly parsed: ImageManifest;
  /** The index it was picked from, when the reference named one. */
  readonly index?: ManifestBytes;
  readonly config: Buffer;
}

/**
 * Reads an image by tag or digest: an index is resolved to the manifest for
 * `platform`; the config is fetched and verified against its digest.
 */
export async function pullImage(client: RegistryClient, repository: string, reference: string, platform: Platform = hostPlatform()): Promise<RemoteImage> {
  let manifest = await client.getManifest(repository, reference);
  let index: ManifestBytes | undefined;
  const where = `${client.registry}/${repository}:${reference}`;
  if (isIndexType(manifest.mediaType)) {
    index = manifest;
    const parsedIndex = parseImageIndex(manifest.bytes, `the index of ${where}`);
    const entry = pickPlatform(parsedIndex.manifests, platform);
    if (!entry) {
      const offered = parsedIndex.manifests.map((m) => `${m.platform?.os}/${m.platform?.architecture}`).join(', ');
      throw new LaminaError(`${where} has no image for ${platform.os}/${platform.architecture} (it has ${offered || 'none'})`, 'no-platform');
    }
    manifest = await client.getManifest(repository, entry.digest);
  }
  const parsed = parseImageManifest(manifest.bytes, `the manifest of ${where}`);
  const config = await client.getBlobBytes(repository, parsed.config.digest, parsed.config.size);
  return { manifest, parsed, config, ...(index ? { index } : {}) };
}
