/**
 * Everything that fixes the bytes of a layer. Cached layers are keyed on
 * LAYER_FORMAT_VERSION, so change any value here (or the tar order, the headers or
 * the gzip framing) only together with a bump of it.
 */
import { gzipEngine } from './deflate-addon.js';

/**
 * The format's number and the gzip engine: libdeflate writes the same bytes on
 * every CPU and core count, but another libdeflate release may match differently,
 * so a machine with another one keys (and writes) its own layers rather than
 * trusting digests it cannot reproduce.
 */
export const LAYER_FORMAT_VERSION = `3 ${gzipEngine()}`;

/** 1970-01-01T00:00:01Z: the Nix store's own mtime; 0 reads as "unknown" to some tools. */
export const LAYER_MTIME = new Date(1000);

/** Mode of the `nix/` and `nix/store/` entries: the store is read-only inside an image. */
export const STORE_DIR_MODE = 0o555;

/** Mode of the directories the customisation layer creates where several roots meet. */
export const LINK_DIR_MODE = 0o755;

/**
 * libdeflate's level 2: the fastest level whose blobs are still no larger than
 * umoci's (Go's gzip). On the large test set (676 MB of tar), one core: level 1
 * 163 MB/s and 266.8 MB (2% larger than umoci's 261.3 MB), level 2 133 MB/s and
 * 255.7 MB, level 4 113 MB/s and 252.1 MB. `npm run bench -- build` compares a
 * whole build with `umoci insert`. Each
 * member's header is libdeflate's fixed one: no name, mtime 0, OS byte 255. A
 * slice that does not compress is stored instead (native/deflate/src/deflate.c).
 */
export const GZIP_LEVEL = 2;

/** Each slice of tar becomes one gzip member: large enough that members cost nothing in size, small enough to spread a layer over the cores. */
export const GZIP_CHUNK_BYTES = 4 << 20;

/** zstd's default level: about gzip -6's ratio at several times the speed. */
export const ZSTD_LEVEL = 3;

/** Each slice becomes one zstd frame; bigger frames find more matches. */
export const ZSTD_CHUNK_BYTES = 4 << 20;
