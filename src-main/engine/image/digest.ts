/**
 * sha256 digests as OCI writes them (`sha256:<64 hex>`), and the checks every
 * reader applies before trusting a digest from outside. Hashing is in sha256.ts;
 * a stream is checked against its descriptor as it flows by DigestCheck
 * (image/layer-streams.ts).
 */
import { LaminaError } from '../../../src-shared/errors.js';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST.test(value);
}

/** The hex part of a digest, for file names (`blobs/sha256/<hex>`). */
export function digestHex(digest: string): string {
  if (!isDigest(digest)) throw new LaminaError(`"${digest}" is not a sha256 digest (expected sha256:<64 hex digits>)`, 'bad-digest');
  return digest.slice('sha256:'.length);
}

/** Lamina hashes sha256 only (sha256.ts); a registry speaking another algorithm is refused early. */
export function checkSupportedDigest(digest: string): void {
  if (!isDigest(digest)) throw new LaminaError(`unsupported digest "${digest}": Lamina verifies sha256 digests only`, 'bad-digest');
}
