/** The libdeflate this addon was compiled against, such as "1.14": its output is part of a layer's bytes. */
export declare const libdeflateVersion: string;

/**
 * Writes all of `input` as one complete gzip member (RFC 1952: no name, mtime 0,
 * OS byte 255) compressed at `level` (1-12) at the start of `output`, and returns
 * its length. `output` must hold libdeflate's worst case for that input (its
 * length plus about a thousandth, plus a few bytes) or the call throws.
 * Synchronous: call it off the main thread.
 */
export declare function gzipMemberInto(input: Uint8Array, output: Uint8Array, level: number): number;

