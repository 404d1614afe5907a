/**
 * One budget of compression work for the whole process: as many slices compress
 * at once as there are cores, whether they belong to one big layer or to several
 * layers written side by side.
 */
import { availableParallelism } from 'node:os';

class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

export const compressionSlots = new Slots(availableParallelism());
