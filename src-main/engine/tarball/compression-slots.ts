/**
 * One budget of compression work for the whole process: as many slices compress
 * at once as there are cores (or LAMINA_COMPRESSION_THREADS, to leave cores to
 * other work), whether they belong to one big layer or to several layers written
 * side by side. The count never changes a layer's bytes: slice boundaries are fixed.
 */
import { availableParallelism } from 'node:os';
import { LaminaError } from '../../../src-shared/errors.js';

/**
 * A counting semaphore whose holders may take several slots at once (a big
 * layer takes more than a small one), granted strictly in the order asked.
 */
export class Slots {
  private free: number;
  private readonly waiting: { units: number; grant: () => void }[] = [];

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

  /**
   * Waits for `units` slots (1 to size; more is taken as size). The answer gives
   * them back, once however often it is called, so a holder may let go early.
   */
  async acquire(units = 1): Promise<() => void> {
    const wanted = Math.min(Math.max(1, Math.ceil(units)), this.size);
    // Nobody jumps the queue, so a big request is never starved by a stream of small ones.
    if (this.waiting.length === 0 && this.free >= wanted) this.free -= wanted;
    else await new Promise<void>((grant) => this.waiting.push({ units: wanted, grant }));
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.free += wanted;
      this.grantWaiting();
    };
  }

  private grantWaiting(): void {
    while (this.waiting.length > 0 && this.free >= this.waiting[0]!.units) {
      const next = this.waiting.shift()!;
      this.free -= next.units;
      next.grant();
    }
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
