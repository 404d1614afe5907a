/**
 * What a push of a planned image would send, told before anything is built: a
 * layer the registry is recorded to hold (in any of its repositories: it would be
 * found or mounted) sends nothing; a stored layer it lacks sends its blob; a layer
 * not built yet sends its compressed tar, whose size is known only once written,
 * so it is given by its NAR bytes (an upper bound for gzip and zstd).
 */
import type { LayerPlan, StoreSnapshot } from '../layering/index.js';
import type { BlobLocations } from '../registry/push-records.js';

export interface PushEstimate {
  readonly registry: string;
  readonly repository: string;
  /** Store-path layers the push would upload. */
  readonly layers: number;
  /** Blob bytes of stored layers the registry lacks. */
  readonly storedBytes: number;
  /** NAR bytes of the layers a build would write first. */
  readonly newNarBytes: number;
}

export function estimatePush(plan: LayerPlan, store: StoreSnapshot, locations: BlobLocations, target: { registry: string; repository: string }): PushEstimate {
  const stored = new Map(store.layers.map((layer) => [layer.key, layer]));
  let layers = 0;
  let storedBytes = 0;
  let newNarBytes = 0;
  for (const layer of plan.layers) {
    const blob = stored.get(layer.key);
    if (!blob) {
      layers++;
      newNarBytes += layer.narSize;
    } else if (locations.repositoriesWith(target.registry, blob.digest).length === 0) {
      layers++;
      storedBytes += blob.size;
    }
  }
  return { registry: target.registry, repository: target.repository, layers, storedBytes, newNarBytes };
}
