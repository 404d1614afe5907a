/**
 * Everything that fixes the bytes of a layer. Cached layers are keyed on
 * LAYER_FORMAT_VERSION, so change any value here (or the tar order, the headers or
 * the gzip framing) only together with a bump of it.
 */
export const LAYER_FORMAT_VERSION = 1;

/** 1970-01-01T00:00:01Z: the Nix store's own mtime; 0 reads as "unknown" to some tools. */
export const LAYER_MTIME = new Date(1000);

/** Mode of the `nix/` and `nix/store/` entries: the store is read-only inside an image. */
export const STORE_DIR_MODE = 0o555;

/** Mode of the directories the customisation layer creates where several roots meet. */
export const LINK_DIR_MODE = 0o755;

/** Level 4 matches umoci's blob sizes at a fraction of zlib -6's time (bench/layers.ts). */
export const GZIP_LEVEL = 4;

/** Size of the tar slices deflated in parallel. Large enough that the per-slice cost is noise. */
export const GZIP_CHUNK_BYTES = 1 << 20;

/**
 * gzip's OS byte. zlib writes the host's, so the same tar would get another digest
 * on another platform; 255 ("unknown") is what Go's compress/gzip writes.
 */
export const GZIP_OS_UNKNOWN = 255;

/** zstd's default level: about gzip -6's ratio at several times the speed. */
export const ZSTD_LEVEL = 3;

/** Each slice becomes one zstd frame; bigger frames find more matches. */
export const ZSTD_CHUNK_BYTES = 4 << 20;
