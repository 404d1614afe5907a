import fc from 'fast-check';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { mapOrdered } from '../../src-main/engine/tarball/map-ordered.js';

/** A source that counts what was pulled from it and whether it was closed. */
function counted(items: readonly number[], failAt = -1) {
  const state = { pulled: 0, returned: false };
  async function* source(): AsyncGenerator<number> {
    try {
      for (const [i, item] of items.entries()) {
        if (i === failAt) throw new Error(`source failed at ${i}`);
        state.pulled++;
        await sleep(item % 3);
        yield item;
      }
    } finally {
      state.returned = true;
    }
  }
  return { source: source(), state };
}

describe('mapOrdered', () => {
  it('gives every result in source order, with never more than the window plus the one being consumed in flight', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(20), { maxLength: 40 }), fc.integer({ min: 1, max: 6 }), fc.nat(3), async (items, inFlight, consumerDelay) => {
        let running = 0;
        let peak = 0;
        const { source } = counted(items);
        const out: number[] = [];
        const map = async (n: number) => {
          running++;
          peak = Math.max(peak, running);
          await sleep(n % 5);
          running--;
          return n * 2;
        };
        for await (const r of mapOrdered(source, map, inFlight)) {
          out.push(r);
          await sleep(consumerDelay);
        }
        expect(out).toEqual(items.map((n) => n * 2));
        expect(peak).toBeLessThanOrEqual(inFlight + 1);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps pulling the source while the consumer is busy with a result', async () => {
    const { source, state } = counted([1, 2, 3, 4, 5, 6]);
    const results = mapOrdered(source, async (n) => n, 3);
    await results.next();
    // The consumer now holds one result and does slow work; the pump fills the window meanwhile.
    await sleep(50);
    expect(state.pulled).toBeGreaterThanOrEqual(4);
    await results.return(undefined);
  });

  it('stops the source and waits for started work when the consumer stops early', async () => {
    const { source, state } = counted(Array.from({ length: 50 }, (_, i) => i));
    const settled: number[] = [];
    const results = mapOrdered(
      source,
      async (n) => {
        await sleep(5);
        settled.push(n);
        return n;
      },
      3,
    );
    for await (const r of results) if (r === 2) break;
    expect(state.returned).toBe(true);
    expect(state.pulled).toBeLessThan(50);
    // Every started map had settled by the time the loop was left.
    const started = settled.length;
    await sleep(30);
    expect(settled.length).toBe(started);
  });

  it('passes a failure of the source or of one item on to the consumer', async () => {
    const failing = counted([1, 2, 3, 4], 2);
    await expect(async () => {
      for await (const _ of mapOrdered(failing.source, async (n) => n, 2)) void _;
    }).rejects.toThrow('source failed at 2');

    const { source, state } = counted([1, 2, 3, 4, 5, 6, 7, 8]);
    const seen: number[] = [];
    await expect(async () => {
      for await (const r of mapOrdered(
        source,
        async (n) => {
          if (n === 3) throw new Error('item 3 failed');
          return n;
        },
        2,
      ))
        seen.push(r);
    }).rejects.toThrow('item 3 failed');
    expect(seen).toEqual([1, 2]);
    expect(state.returned).toBe(true);
  });
});
