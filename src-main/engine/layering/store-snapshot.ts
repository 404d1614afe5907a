/**
 * What the `reuse` strategy learns from: the layers that already exist, as plain
 * data. The store makes one (store/reuse-snapshot.ts); the strategy stays a pure
 * function of the closure and this snapshot.
 */

export interface ReusableLayer {
  /** The plan key of the layer (layerKey of its sorted store paths). */
  readonly key: string;
  /** Its store paths, sorted. */
  readonly paths: readonly string[];
  /** Names of the store images holding it (none: the blob is kept but unused). */
  readonly images: readonly string[];
  /** The layer blob's digest and size, to tell what a push of it would send. */
  readonly digest: string;
  readonly size: number;
  /** Where it is when not in the local store: a team cache (`docker://…`) a build fetches it from. */
  readonly from?: string;
}

export interface StoreSnapshot {
  /** Layers a build could take without writing them: in the store, with the build's compression and format. */
  readonly layers: readonly ReusableLayer[];
}

export const EMPTY_SNAPSHOT: StoreSnapshot = { layers: [] };
