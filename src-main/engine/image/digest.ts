/**
 * sha256 digests as OCI writes them (`sha256:<64 hex>`), and the checks every
 * reader applies before trusting a digest from outside. A stream is checked
 * against its descriptor as it flows by DigestCheck (image/layer-streams.ts).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
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

/** Only sha256 is hashed here; a registry speaking another algorithm is refused early. */
export function checkSupportedDigest(digest: string): void {
  if (!isDigest(digest)) throw new LaminaError(`unsupported digest "${digest}": Lamina verifies sha256 digests only`, 'bad-digest');
}

export function sha256Digest(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Digest and byte count of a file, streamed (memory does not grow with the file). */
export async function hashFile(file: string, signal?: AbortSignal): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file, { signal, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}
