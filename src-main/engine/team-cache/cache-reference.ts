/**
 * Where a team cache lives: `docker://HOST[:PORT]/REPO[:TAG]`, and how to reach
 * its registry. The tag defaults to `cache`, so a cache named after an image's
 * repository never lands on the image's `latest`.
 */
import { LaminaError } from '../../../src-shared/errors.js';
import type { RegistryClient } from '../registry/client.js';
import { formatReference, parseReference } from '../../../src-shared/reference.js';

export const DEFAULT_CACHE_TAG = 'cache';

export interface CacheReference {
  readonly registry: string;
  readonly repository: string;
  readonly tag: string;
}

export function parseCacheReference(spec: string): CacheReference {
  if (!spec.startsWith('docker://')) {
    throw new LaminaError(`"${spec}" is not a registry location for a team cache; write docker://HOST[:PORT]/REPOSITORY[:TAG]`, 'bad-location');
  }
  const ref = parseReference(spec.slice('docker://'.length));
  if (ref.digest) throw new LaminaError('name a team cache by tag (docker://HOST/REPO:TAG), not by digest: it changes with every write', 'bad-location');
  return { registry: ref.registry, repository: ref.repository, tag: ref.tag ?? DEFAULT_CACHE_TAG };
}

export function formatCacheReference(ref: CacheReference): string {
  return `docker://${formatReference(ref)}`;
}

/**
 * Opens clients to registries with the right login: the CLI's flags, or the
 * registries saved in the app's Settings. The caller closes each client.
 */
export interface RegistryAccess {
  client(registry: string, signal: AbortSignal | undefined): Promise<RegistryClient>;
  /** The team cache a registry is set up with (the app's Settings), if any. */
  teamCacheOf?(registry: string): string | undefined;
}
