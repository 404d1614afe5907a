/**
 * What crosses the wire to a registry, below the level of an image: one blob to
 * push, and a manifest as the exact bytes its digest names. An image is an
 * `Image` (image/model.ts); a push turns it into these (registry/push.ts).
 */
import type { Readable } from 'node:stream';

/** A blob to push: what it is, and a way to read it from the start (again, after a failure). */
export interface PushBlob {
  readonly digest: string;
  readonly size: number;
  readonly mediaType: string;
  /**
   * true when open()'s stream checks itself (fails at its end unless its bytes
   * hash to `digest` and count `size`, as every Image's layers do): the push then
   * leaves the hashing to it instead of hashing the bytes twice.
   */
  readonly selfChecked?: boolean;
  open(): Promise<Readable>;
}

/** A manifest as the exact bytes whose sha256 is its digest. */
export interface ManifestBytes {
  readonly bytes: Buffer;
  readonly mediaType: string;
  readonly digest: string;
}
