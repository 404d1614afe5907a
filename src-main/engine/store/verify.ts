/**
 * `lamina cache verify`: re-hashes every blob the index vouches for. A damaged
 * blob loses its row (and its layer record), and images that use it lose their
 * name, so the next build writes the layer again instead of shipping bad bytes.
 */
import type { Store } from './store.js';

export interface DamagedBlob {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  /** Images that used the blob and were removed with it. */
  readonly droppedImages: readonly string[];
}

export interface VerifyReport {
  readonly checked: number;
  readonly checkedBytes: number;
  readonly damaged: readonly DamagedBlob[];
}

export async function verifyStore(
  store: Store,
  options: { readonly signal?: AbortSignal; readonly onProgress?: (done: number, total: number, doneBytes: number, totalBytes: number) => void } = {},
): Promise<VerifyReport> {
  const blobs = store.content.list();
  const totalBytes = blobs.reduce((sum, b) => sum + b.size, 0);
  const damaged: DamagedBlob[] = [];
  let checkedBytes = 0;
  for (const [i, blob] of blobs.entries()) {
    options.signal?.throwIfAborted();
    const whole = await store.content.verify(blob.digest, options.signal);
    checkedBytes += blob.size;
    options.onProgress?.(i + 1, blobs.length, checkedBytes, totalBytes);
    if (whole) continue;
    const droppedImages = store.images.usersOf(blob.digest);
    for (const name of droppedImages) store.images.remove(name);
    store.content.delete(blob.digest);
    damaged.push({ digest: blob.digest, mediaType: blob.mediaType, size: blob.size, droppedImages });
  }
  return { checked: blobs.length, checkedBytes, damaged };
}
