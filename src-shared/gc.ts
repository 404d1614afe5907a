/** The GC preview's plain data, shared with the UI (no Node imports). */

export interface GcBlob {
  readonly digest: string;
  readonly size: number;
  readonly mediaType: string;
  readonly lastUsedAt: number;
  /** What the blob is to the store: a layer, an image's manifest or config, or none of these (a leftover). */
  readonly kind: 'layer' | 'manifest' | 'config' | 'other';
  /** Held by a running build (see store/blob-leases.ts): gc keeps it. */
  readonly leased: boolean;
}

export interface GcSnapshot {
  readonly blobs: readonly GcBlob[];
  readonly images: readonly { readonly name: string; readonly createdAt: number; readonly blobs: readonly string[] }[];
}

export interface GcPreview {
  /** The blobs gc would delete, in the order it would. */
  readonly blobs: readonly GcBlob[];
  /** The images gc would drop to reach the budget, oldest first. */
  readonly images: readonly string[];
  readonly freedBytes: number;
  readonly sizeBefore: number;
  readonly sizeAfter: number;
  /** The newest image, when keepNewest kept it although the cache stays over the budget; else null. */
  readonly newestKept: string | null;
}

export interface GcReport {
  readonly removedBlobs: number;
  readonly freedBytes: number;
  readonly removedImages: readonly string[];
  /** Saved layer file indexes dropped (layers not in the store, unused for INDEX_MAX_IDLE_DAYS). */
  readonly removedIndexes: number;
  readonly sizeBefore: number;
  readonly sizeAfter: number;
}
