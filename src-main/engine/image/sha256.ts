/**
 * Hashing bytes and files into OCI digests (`sha256:<64 hex>`). Apart from the
 * digest's format (digest.ts) so that code which only names blobs by digest, the
 * store's layout first of all, loads no crypto: `lamina build` reaches Nix sooner.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

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
