/**
 * Writes one layer blob: tar -> compression -> file, hashing the tar (diffID) and
 * the blob (digest, in the BlobFile as it writes) as the bytes pass, in one
 * streaming pass with backpressure from the file all the way back to the reads.
 */
import { createHash } from 'node:crypto';
import { isLaminaError, LaminaError } from '../../../src-shared/errors.js';
import { layerMediaType } from '../image/media-types.js';
import { BlobFile, type WrittenBlob } from './blob-file.js';
import { zstdSlices } from './chunked-zstd.js';
import { errnoOf } from './errno.js';
import { GZIP_CHUNK_BYTES, ZSTD_CHUNK_BYTES } from './format.js';
import { gzipSlices } from './parallel-gzip.js';
import { isPoolMemory, returnSlice } from './slice-pool.js';
import { tarSlices } from './tar-bytes.js';
import type { LayerEntry } from './tar-header.js';
import type { LayerCompression, LayerBlob, LayerWriteOptions } from './types.js';

const PROGRESS_STEP = 1 << 20;
const WRITE_BYTES = 1 << 20;

/**
 * `dest` is a path, or a BlobFile the caller opened (the content store's ingest
 * writer, which then vouches for the digest at commit); either way it is closed
 * here, flushed on success.
 */
export async function writeLayer(
  entries: AsyncIterable<LayerEntry> | Iterable<LayerEntry>,
  compression: LayerCompression,
  dest: string | BlobFile,
  { signal, onProgress, onWritten }: LayerWriteOptions = {},
): Promise<LayerBlob> {
  // An uncompressed blob is the tar, so the file's hash is the diffID too: one hash.
  const tarHash = compression === 'none' ? undefined : createHash('sha256');
  let tarSize = 0;
  let reported = 0;

  async function* hashedTar(): AsyncGenerator<Buffer> {
    for await (const piece of tarSlices(entries, sliceBytes(compression))) {
      tarHash?.update(piece);
      tarSize += piece.length;
      if (onProgress && tarSize - reported >= PROGRESS_STEP) onProgress((reported = tarSize));
      yield piece;
    }
  }
  // An uncompressed blob is written in its 1 MiB slices rather than once per header or small file.
  const blob = compression === 'none' ? hashedTar() : compress(hashedTar(), compression);

  const destFile = typeof dest === 'string' ? dest : dest.path;
  let file: BlobFile | undefined;
  let written: WrittenBlob;
  try {
    signal?.throwIfAborted();
    file = typeof dest === 'string' ? await BlobFile.create(dest) : dest;
    for await (const piece of blob) {
      signal?.throwIfAborted();
      await file.write(piece);
      // Written and hashed: its memory (a compressed slice's buffer, or a tar slice) serves the next slice.
      if (isPoolMemory(piece.buffer)) returnSlice(piece.buffer as ArrayBuffer);
    }
    onWritten?.();
    written = await file.close();
  } catch (err) {
    await file?.discard().catch(() => undefined);
    throw explain(err, destFile, signal);
  }
  onProgress?.(tarSize);
  if (!tarHash) return { diffId: written.digest, digest: written.digest, size: written.size, uncompressedSize: tarSize, mediaType: layerMediaType('none') };
  return { diffId: `sha256:${tarHash.digest('hex')}`, digest: written.digest, size: written.size, uncompressedSize: tarSize, mediaType: layerMediaType(compression) };
}

/** The tar is built in the slices its compression takes, so slicing copies nothing. */
function sliceBytes(compression: LayerCompression): number {
  if (compression === 'gzip') return GZIP_CHUNK_BYTES;
  if (compression === 'zstd') return ZSTD_CHUNK_BYTES;
  return WRITE_BYTES;
}

/** `slices` are already cut at the codec's fixed boundaries (sliceBytes). */
function compress(slices: AsyncIterable<Buffer>, compression: 'gzip' | 'zstd'): AsyncIterable<Buffer> {
  return compression === 'gzip' ? gzipSlices(slices) : zstdSlices(slices);
}

function explain(err: unknown, destFile: string, signal: AbortSignal | undefined): unknown {
  if (isLaminaError(err)) return err;
  if (signal?.aborted) return new LaminaError('layer write cancelled', 'cancelled', { cause: err });
  const code = errnoOf(err);
  if (/^E[A-Z]+$/.test(code)) {
    return new LaminaError(`cannot write layer to ${destFile} (${code}); check free space and permissions there`, 'layer-write', { cause: err });
  }
  return err;
}
