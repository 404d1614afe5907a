/**
 * zstd compression of whole slices on worker threads. zstd-napi (libzstd built
 * from source) only has synchronous calls, so they run off the main thread; one
 * worker per compression slot, started on first use, holding the process open
 * only while it has work.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { compressionSlots } from './compression-slots.js';
import { ZSTD_LEVEL } from './format.js';

// Plain CommonJS evaluated in the worker, so the bundler needs no extra entry for it.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { Compressor } = require(workerData.zstdModule);
const compressor = new Compressor();
compressor.setParameters({ compressionLevel: workerData.level, checksumFlag: true, contentSizeFlag: true });
parentPort.on('message', (slice) => {
  try {
    parentPort.postMessage({ frame: compressor.compress(Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength)) });
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message) });
  }
});
`;

interface Reply {
  frame?: Uint8Array;
  error?: string;
}

class ZstdWorker {
  private readonly worker: Worker;
  private settle: ((reply: Reply) => void) | undefined;
  private exited = false;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { level: ZSTD_LEVEL, zstdModule: createRequire(import.meta.url).resolve('zstd-napi') },
    });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => this.finish(reply));
    this.worker.on('error', (err) => this.finish({ error: err.message }));
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.finish({ error: `zstd worker exited with code ${code}` });
    });
  }

  compress(slice: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.exited) return reject(new Error('zstd worker has exited'));
      this.settle = ({ frame, error }) => {
        if (frame) resolve(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength));
        else reject(new Error(`zstd compression failed: ${error ?? 'no output'}`));
      };
      this.worker.ref();
      this.worker.postMessage(slice);
    });
  }

  private finish(reply: Reply): void {
    const settle = this.settle;
    this.settle = undefined;
    this.worker.unref();
    settle?.(reply);
  }
}

const idle: ZstdWorker[] = [];

/** One zstd frame (at ZSTD_LEVEL) holding all of `slice`. Runs within the shared compression slots. */
export function zstdFrame(slice: Buffer): Promise<Buffer> {
  return compressionSlots.run(async () => {
    const worker = idle.pop() ?? new ZstdWorker();
    const frame = await worker.compress(slice);
    idle.push(worker);
    return frame;
  });
}
