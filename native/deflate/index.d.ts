/** The libdeflate this addon was compiled against, such as "1.14": its output is part of a layer's bytes. */
export declare const libdeflateVersion: string;

/**
 * All of `input` as one complete gzip member (RFC 1952: no name, mtime 0, OS byte
 * 255) compressed at `level` (1-12). Synchronous: call it off the main thread.
 */
export declare function gzipMember(input: Uint8Array, level: number): Buffer;
