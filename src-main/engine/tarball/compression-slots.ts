/**
 * One budget of compression work for the whole process: as many slices compress
 * at once as there are cores (or LAMINA_COMPRESSION_THREADS, to leave cores to
 * other work), whether they belong to one big layer or to several layers written
 * side by side. The count never changes a layer's bytes: slice boundaries are fixed.
 */
import { availableParallelism } from 'node:os';
import { LaminaError } from '../../../src-shared/errors.js';

export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** Waits for a slot; the answer gives it back, once however often it is called (so a holder may let go early). */
  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}

let shared: Slots | undefined;

/** The process's slots, sized on first use. */
export function compressionSlots(): Slots {
  if (shared) return shared;
  const wanted = process.env.LAMINA_COMPRESSION_THREADS;
  if (wanted === undefined || wanted === '') return (shared = new Slots(availableParallelism()));
  const threads = Number(wanted);
  if (!Number.isInteger(threads) || threads < 1 || threads > 1024) {
    throw new LaminaError(`LAMINA_COMPRESSION_THREADS must be a whole number from 1 to 1024, not "${wanted}"; unset it to use every core`, 'bad-setting');
  }
  return (shared = new Slots(threads));
}
