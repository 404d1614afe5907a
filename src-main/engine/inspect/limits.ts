/**
 * Bounds on what reading one layer may cost, whatever the layer claims. A layer
 * over a limit is refused with one line naming the limit; nothing is kept.
 */
export interface IndexLimits {
  /** Tar entries in one layer. */
  readonly maxEntries: number;
  /** Bytes of one entry's name or link target (Linux's PATH_MAX is 4096). */
  readonly maxNameBytes: number;
  /** Bytes of all names and link targets of one layer together: what the index holds in memory. */
  readonly maxTotalNameBytes: number;
  /**
   * Uncompressed bytes per compressed byte, beyond `expansionAllowance`: stops a
   * decompression bomb early. Real layers stay far below it; a layer of zeros can
   * pass it, and is then refused.
   */
  readonly maxExpansion: number;
  /** Uncompressed bytes any layer may have whatever its compressed size. */
  readonly expansionAllowance: number;
  /** Distinct store-path references remembered per layer. */
  readonly maxReferences: number;
}

export const DEFAULT_LIMITS: IndexLimits = {
  maxEntries: 1_000_000,
  maxNameBytes: 4096,
  maxTotalNameBytes: 256 * 1024 * 1024,
  maxExpansion: 100,
  expansionAllowance: 256 * 1024 * 1024,
  maxReferences: 1_000_000,
};

/** The most uncompressed bytes a layer of `compressedSize` may unpack to; the declared size when a source vouches for one. */
export function uncompressedBudget(limits: IndexLimits, compressedSize: number, declared?: number): number {
  if (declared !== undefined) return declared;
  return limits.expansionAllowance + compressedSize * limits.maxExpansion;
}
