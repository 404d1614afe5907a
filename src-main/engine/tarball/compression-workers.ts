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
import { isPoolMemory, returnSlice } from './slice-pool.js';
import { GZIP_LEVEL, ZSTD_LEVEL } from './format.js';

// Plain CommonJS evaluated in the worker, so the bundler needs no extra entry for it.
// Slices and results travel by transfer where they own their memory: copying them
// cost as much main-thread time as hashing the tar, and left garbage for the GC.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let zstd;
let deflate;
function compress(codec, slice) {
  if (codec === 'gzip') {
    deflate ??= require(workerData.deflateModule);
    return deflate.gzipMember(slice, workerData.gzipLevel);
  }
  if (!zstd) {
    const { Compressor } = require(workerData.zstdModule);
    zstd = new Compressor();
    zstd.setParameters({ compressionLevel: workerData.zstdLevel, checksumFlag: true, contentSizeFlag: true });
  }
  return zstd.compress(slice);
}
parentPort.on('message', ({ codec, slice }) => {
  try {
    const out = compress(codec, Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength));
    const own = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength;
    // The slice goes back too, so its memory is reused for the next slice (slice-pool.ts).
    const transfer = own ? [out.buffer, slice.buffer] : [slice.buffer];
    parentPort.postMessage({ out, input: slice }, transfer);
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message) });
  }
});
`;

export type SliceCodec = 'gzip' | 'zstd';

interface Reply {
  out?: Uint8Array;
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
      workerData: { zstdLevel: ZSTD_LEVEL, zstdModule: createRequire(import.meta.url).resolve('zstd-napi'), gzipLevel: GZIP_LEVEL, deflateModule: deflateModule() },
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
      this.settle = ({ out, input, error }) => {
        if (pooled && input) returnSlice(input.buffer as ArrayBuffer);
        if (out) resolve(Buffer.from(out.buffer, out.byteOffset, out.byteLength));
        else reject(new LaminaError(`${codec} compression failed: ${error ?? 'no output'}`, 'layer-write'));
      };
      this.worker.ref();
      this.worker.postMessage({ codec, slice }, pooled || ownsMemory(slice) ? [slice.buffer as ArrayBuffer] : []);
    });
  }

  private finish(reply: Reply): void {
    const settle = this.settle;
    this.settle = undefined;
    this.worker.unref();
    settle?.(reply);
  }
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
 * (pool memory comes back to the pool with the result).
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
