/**
 * `--cache-to`: after a build, every layer goes into the cache's repository
 * (found there, mounted from a repository the push records say holds it, else
 * uploaded from the local store), and only the layers the registry confirmed
 * there become index entries. Then the index is merged and written
 * (registry-index.ts).
 */
import pLimit from 'p-limit';
import { LAYER_FORMAT_VERSION } from '../tarball/format.js';
import type { LayerCompression } from '../image/media-types.js';
import type { RegistryClient } from '../registry/client.js';
import type { BlobLocations } from '../registry/push-records.js';
import { pushBlob } from '../registry/push.js';
import type { Store } from '../store/store.js';
import type { LayerBlob } from '../tarball/types.js';
import { isConsistent, type TeamCacheEntry } from './index-document.js';
import type { CacheReference } from './cache-reference.js';
import { writeIndex, type WriteOptions } from './registry-index.js';

/** A layer of a finished build, as the pipeline reports it. */
export interface CacheableLayer extends LayerBlob {
  readonly key: string;
  readonly kind: 'store-paths' | 'customisation';
  /** Store paths, or the customisation layer's roots in order: what its key was made of. */
  readonly paths: readonly string[];
}

export interface ExportOutcome {
  /** Entries this build added or renewed. */
  readonly written: number;
  /** Entries in the index after the write. */
  readonly entries: number;
}

export async function exportToTeamCache(
  client: RegistryClient,
  ref: CacheReference,
  store: Store,
  layers: readonly CacheableLayer[],
  compression: LayerCompression,
  locations: BlobLocations,
  options: WriteOptions & { readonly jobs?: number } = {},
): Promise<ExportOutcome> {
  const limit = pLimit(options.jobs ?? 4);
  const unique = [...new Map(layers.map((l) => [l.digest, l])).values()];
  await Promise.all(
    unique.map((layer) =>
      limit(() =>
        pushBlob(client, ref.repository, { digest: layer.digest, size: layer.size, mediaType: layer.mediaType, open: async () => store.content.open(layer.digest) }, { locations }),
      ),
    ),
  );
  const now = Date.now();
  const entries: TeamCacheEntry[] = layers
    // The push records are the gate: an entry only for a blob the registry confirmed in this repository.
    .filter((layer) => locations.repositoriesWith(client.registry, layer.digest).includes(ref.repository))
    .map((layer) => ({
      key: layer.key,
      kind: layer.kind,
      paths: [...layer.paths],
      compression,
      formatVersion: LAYER_FORMAT_VERSION,
      digest: layer.digest,
      diffId: layer.diffId,
      size: layer.size,
      uncompressedSize: layer.uncompressedSize,
      mediaType: layer.mediaType,
      confirmedAt: now,
    }))
    .filter(isConsistent);
  const outcome = await writeIndex(client, ref, entries, options);
  return { written: entries.length, entries: outcome.entries };
}
