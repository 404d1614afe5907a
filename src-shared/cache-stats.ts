/** The Cache view's numbers as plain data, shared with the UI (no Node imports). */

export interface CacheSummary {
  /** Every blob in the store: layers, configs, manifests. */
  readonly totalBytes: number;
  readonly blobs: number;
  readonly layers: number;
  readonly layerBytes: number;
  readonly layerUncompressedBytes: number;
  /** Times a build took a layer from the cache instead of writing it, over the layers still stored. */
  readonly lifetimeHits: number;
  readonly images: number;
  /** Blobs no image uses: what gc without a budget frees. */
  readonly unusedBlobs: number;
  readonly unusedBytes: number;
  readonly duplication: StoreDuplication;
}

/** How many times over the store holds its store paths (1.00: each path in one layer). */
export interface StoreDuplication {
  /** NAR bytes of the store paths of every layer, summed layer by layer. */
  readonly layeredPathBytes: number;
  /** NAR bytes of the distinct store paths those layers hold. */
  readonly distinctPathBytes: number;
  readonly distinctPaths: number;
  /** layeredPathBytes / distinctPathBytes; 1 for an empty store. */
  readonly ratio: number;
}

/** One finished image build's use of the cache. */
export interface BuildCacheUse {
  readonly jobId: number;
  readonly finishedAt: number;
  readonly image: string;
  readonly layers: number;
  readonly cachedLayers: number;
  readonly bytes: number;
  /** Layers (and their bytes) not written by the build: from the local cache or a team cache. */
  readonly cachedBytes: number;
  /** Of the cached ones, those fetched from a team cache in a registry. */
  readonly teamLayers: number;
  readonly teamBytes: number;
}
