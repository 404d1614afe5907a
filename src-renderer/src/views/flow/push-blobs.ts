/** Each blob of a push as its log tells it, in the order the blobs first appear. */
import type { LogLine } from '../../../../src-main/engine/jobs/types';
import { parseBlobLine, type BlobLine } from '../../../../src-main/engine/jobs/kinds/push-lines';

export function pushBlobs(lines: readonly LogLine[], count: number): BlobLine[] {
  const blobs = new Map<string, BlobLine>();
  for (let i = 0; i < count; i++) {
    const line = lines[i];
    if (!line || line.stream !== 'info') continue;
    const blob = parseBlobLine(line.text);
    if (blob) blobs.set(blob.digest, blob);
  }
  return [...blobs.values()];
}
