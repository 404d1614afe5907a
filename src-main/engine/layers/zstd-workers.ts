/**
 * zstd compression of whole slices on worker threads. zstd-napi (libzstd built
 * from source) only has synchronous calls, so they run off the main thread; one
 * worker per compression slot, started on first use, holding the process open
 * only while it has work.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { compressionSlots } from './compression-slots.js';

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

  constructor(level: number) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { level, zstdModule: createRequire(import.meta.url).resolve('zstd-napi') },
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

const idle = new Map<number, ZstdWorker[]>();

/** One zstd frame holding all of `slice`. Runs within the shared compression slots. */
export function zstdFrame(slice: Buffer, level: number): Promise<Buffer> {
  return compressionSlots.run(async () => {
    const workers = idle.get(level) ?? [];
    idle.set(level, workers);
    const worker = workers.pop() ?? new ZstdWorker(level);
    const frame = await worker.compress(slice);
    workers.push(worker);
    return frame;
  });
}
