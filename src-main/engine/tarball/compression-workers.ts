/**
 * Compression of whole slices on worker threads: a zstd frame (zstd-napi, libzstd
 * built from source) or a gzip member (libdeflate, through native/deflate). Both
 * bindings are synchronous, so they run off the main thread, which keeps reading
 * and hashing the tar. Real threads rather than libuv's pool: that pool has four
 * threads whatever the cores and file reads queue behind its work. One worker per
 * compression slot, started on first use, holding the process open only while it
 * has work.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { LaminaError } from '../../../src-shared/errors.js';
import { compressionSlots, type Slots } from './compression-slots.js';
import { deflateAddonPath } from './deflate-addon.js';
import { isPoolMemory, reclaimSlice, returnSlice, takeSlice } from './slice-pool.js';
import { GZIP_LEVEL, ZSTD_LEVEL } from './format.js';

// Plain CommonJS evaluated in the worker, so the bundler needs no extra entry for it.
// The slice and an output buffer travel by transfer, both pool memory, and come
// back with the result: copying them cost as much main-thread time as hashing
// the tar, and fresh output buffers set off page faults and garbage collections.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let zstd;
let deflate;
function compress(codec, slice, out) {
  if (codec === 'gzip') {
    deflate ??= require(workerData.deflateModule);
    return deflate.gzipMemberInto(slice, out, workerData.gzipLevel);
  }
  if (!zstd) {
    const binding = require(workerData.zstdBinding);
    zstd = { binding, cctx: new binding.CCtx() };
    zstd.cctx.setParameter(binding.CParameter.compressionLevel, workerData.zstdLevel);
    zstd.cctx.setParameter(binding.CParameter.checksumFlag, 1);
    zstd.cctx.setParameter(binding.CParameter.contentSizeFlag, 1);
  }
  return zstd.cctx.compress2(out, slice);
}
const view = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
parentPort.on('message', ({ codec, slice, out }) => {
  try {
    const length = compress(codec, view(slice), view(out));
    parentPort.postMessage({ out, length, input: slice }, [out.buffer, slice.buffer]);
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message) });
  }
});
`;

export type SliceCodec = 'gzip' | 'zstd';

interface Reply {
  /** The output buffer, moved back: its first `length` bytes are the frame or member. */
  out?: Uint8Array;
  length?: number;
  /** The slice that was compressed, moved back. */
  input?: Uint8Array;
  error?: string;
}

class CompressionWorker {
  private readonly worker: Worker;
  private settle: ((reply: Reply) => void) | undefined;
  private exited = false;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { zstdLevel: ZSTD_LEVEL, zstdBinding: createRequire(import.meta.url).resolve('zstd-napi/binding'), gzipLevel: GZIP_LEVEL, deflateModule: deflateModule() },
    });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => this.finish(reply));
    this.worker.on('error', (err) => this.finish({ error: err.message }));
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.finish({ error: `compression worker exited with code ${code}` });
    });
  }

  compress(codec: SliceCodec, slice: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.exited) return reject(new Error('compression worker has exited'));
      const pooled = isPoolMemory(slice.buffer);
      // Sized for the largest slice of its pool, so every slice of a layer shares one size of output buffer.
      const out = takeSlice(outputBytes(pooled ? slice.buffer.byteLength : slice.length));
      this.settle = ({ out, length, input, error }) => {
        if (pooled && input) returnSlice(input.buffer as ArrayBuffer);
        if (out && length !== undefined) {
          reclaimSlice(out.buffer as ArrayBuffer);
          resolve(Buffer.from(out.buffer, out.byteOffset, length));
        } else reject(new LaminaError(`${codec} compression failed: ${error ?? 'no output'}`, 'layer-write'));
      };
      this.worker.ref();
      const transfer = [out.buffer as ArrayBuffer, ...(pooled || ownsMemory(slice) ? [slice.buffer as ArrayBuffer] : [])];
      this.worker.postMessage({ codec, slice, out }, transfer);
    });
  }

  private finish(reply: Reply): void {
    const settle = this.settle;
    this.settle = undefined;
    this.worker.unref();
    settle?.(reply);
  }
}

/**
 * Room for the compressed form of `n` bytes, whichever codec: above libdeflate's
 * gzip bound (n + about n/1000 + 18) and zstd's (n + n/256 + a little for small
 * inputs). Both codecs check the room they are given, so a mistake here fails
 * loudly instead of writing past the end.
 */
function outputBytes(n: number): number {
  return n + Math.ceil(n / 128) + (64 << 10);
}

/** A view over the whole of its own ArrayBuffer can be transferred; a view into a shared pool must be copied. */
function ownsMemory(bytes: Buffer): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.byteLength > 0;
}

const idle: CompressionWorker[] = [];

/** The addon's path, or undefined where it cannot be loaded: zstd still works there, and gzip fails before reaching a worker. */
function deflateModule(): string | undefined {
  try {
    return deflateAddonPath();
  } catch {
    return undefined;
  }
}

/**
 * All of `slice` as one zstd frame (ZSTD_LEVEL) or one gzip member (GZIP_LEVEL),
 * within the given compression slots (the process's shared budget by default).
 * Takes the slice: when it spans its own ArrayBuffer or comes from the slice
 * pool, that memory moves to the worker and the caller's view is left empty
 * (pool memory comes back to the pool with the result). The result is a view of
 * slice-pool memory: hand it to returnSlice once it is written, or just drop it.
 */
export async function compressSlice(codec: SliceCodec, slice: Buffer, slots: Slots = compressionSlots()): Promise<Buffer> {
  if (codec === 'gzip') deflateAddonPath();
  return slots.run(async () => {
    const worker = idle.pop() ?? new CompressionWorker();
    const out = await worker.compress(codec, slice);
    idle.push(worker);
    return out;
  });
}
