/**
 * Writes one layer blob: tar -> compression -> file, hashing the tar (diffID) and
 * the blob (digest) as the bytes pass, in one streaming pass with backpressure
 * from the file all the way back to the file reads.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { isLaminaError, LaminaError } from '../../../src-shared/errors.js';
import { layerMediaType } from '../image/media-types.js';
import { zstdSlices } from './chunked-zstd.js';
import { errnoOf } from './errno.js';
import { GZIP_CHUNK_BYTES, ZSTD_CHUNK_BYTES } from './format.js';
import { gzipSlices } from './parallel-gzip.js';
import { tarSlices } from './tar-bytes.js';
import type { LayerEntry } from './tar-header.js';
import type { Compression, LayerBlob, LayerWriteOptions } from './types.js';

const PROGRESS_STEP = 1 << 20;
const WRITE_BYTES = 1 << 20;

export async function writeLayer(
  entries: AsyncIterable<LayerEntry> | Iterable<LayerEntry>,
  compression: Compression,
  destFile: string,
  { signal, onProgress }: LayerWriteOptions = {},
): Promise<LayerBlob> {
  const tarHash = createHash('sha256');
  const blobHash = createHash('sha256');
  let tarSize = 0;
  let blobSize = 0;
  let reported = 0;

  async function* hashedTar(): AsyncGenerator<Buffer> {
    for await (const piece of tarSlices(entries, sliceBytes(compression))) {
      tarHash.update(piece);
      tarSize += piece.length;
      if (onProgress && tarSize - reported >= PROGRESS_STEP) onProgress((reported = tarSize));
      yield piece;
    }
  }
  async function* hashedBlob(blob: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const piece of blob) {
      blobHash.update(piece);
      blobSize += piece.length;
      yield piece;
    }
  }
  // An uncompressed blob is the tar: one hash, and one write per MiB (its slices) rather than one per header or small file.
  const blob = compression === 'none' ? hashedTar() : hashedBlob(compress(hashedTar(), compression));

  try {
    if (signal?.aborted) throw signal.reason;
    await pipeline(blob, createWriteStream(destFile), { signal });
  } catch (err) {
    throw explain(err, destFile, signal);
  }
  onProgress?.(tarSize);
  const diffId = `sha256:${tarHash.digest('hex')}`;
  if (compression === 'none') return { diffId, digest: diffId, size: tarSize, uncompressedSize: tarSize, mediaType: layerMediaType('none') };
  return { diffId, digest: `sha256:${blobHash.digest('hex')}`, size: blobSize, uncompressedSize: tarSize, mediaType: layerMediaType(compression) };
}

/** The tar is built in the slices its compression takes, so slicing copies nothing. */
function sliceBytes(compression: Compression): number {
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
