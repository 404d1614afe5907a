/** Ordered, bounded parallel mapping: how a layer's slices are compressed on every core and written in order. */

/**
 * `map` applied to the items in order, up to `inFlight` at once, results in source
 * order. `map` is called in source order, so it may carry state from one item to
 * the next. At most `inFlight` items and results are held.
 *
 * The source is pulled by a pump of its own, not by the consumer: while the
 * consumer is busy with one result (writing a compressed slice to disk), the
 * next items are already being produced and mapped. Pulled by the consumer, the
 * tar reading of a layer stopped for every write and every wait on the oldest
 * slice, and the compression workers sat idle meanwhile.
 */
export async function* mapOrdered<T, R>(source: AsyncIterable<T>, map: (item: T) => Promise<R>, inFlight: number): AsyncGenerator<R> {
  const window = new Window<R>(inFlight);
  const pump = (async () => {
    for await (const item of source) {
      if (window.closed) break;
      const result = map(item);
      // Awaited in order by the consumer; this only keeps an early failure from being reported as unhandled.
      result.catch(() => undefined);
      if (!(await window.add(result))) break;
    }
  })();
  pump.then(
    () => window.end(),
    (err: unknown) => window.end(err),
  );
  try {
    for (;;) {
      const next = await window.take();
      if (next === undefined) break;
      yield await next;
    }
  } finally {
    // On failure or cancellation, stop the pump and let the work already started settle before the caller moves on.
    window.close();
    await pump.catch(() => undefined);
    await Promise.allSettled(window.drain());
  }
}

/** The results between the pump and the consumer: at most `size`, in source order. */
class Window<R> {
  private readonly queue: Promise<R>[] = [];
  private ended = false;
  /** The consumer has gone. */
  closed = false;
  private failure: { error: unknown } | undefined;
  private wakeConsumer: (() => void) | undefined;
  private wakePump: (() => void) | undefined;

  constructor(private readonly size: number) {}

  /** Queues a result; waits while the window is full. False once the consumer has gone. */
  async add(result: Promise<R>): Promise<boolean> {
    this.queue.push(result);
    this.wake('consumer');
    while (this.queue.length >= this.size && !this.closed) await new Promise<void>((resolve) => (this.wakePump = resolve));
    return !this.closed;
  }

  /** The source is exhausted, or failed with `error`. */
  end(error?: unknown): void {
    this.ended = true;
    if (error !== undefined) this.failure = { error };
    this.wake('consumer');
  }

  /** The oldest result; undefined once the source is exhausted and every result taken. Throws the source's failure in its place. */
  async take(): Promise<Promise<R> | undefined> {
    while (this.queue.length === 0 && !this.ended) await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
    const next = this.queue.shift();
    this.wake('pump');
    if (next) return next;
    if (this.failure) throw this.failure.error;
    return undefined;
  }

  /** The consumer has gone: the pump stops at its next item. */
  close(): void {
    this.closed = true;
    this.wake('pump');
  }

  drain(): Promise<R>[] {
    return this.queue.splice(0);
  }

  private wake(who: 'consumer' | 'pump'): void {
    const wake = who === 'consumer' ? this.wakeConsumer : this.wakePump;
    if (who === 'consumer') this.wakeConsumer = undefined;
    else this.wakePump = undefined;
    wake?.();
  }
}
