import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Slots } from '../../src-main/engine/tarball/compression-slots.js';

describe('Slots', () => {
  it('never grants more than its size, grants in the order asked, and grants every request once slots come back', async () => {
    const request = fc.record({ units: fc.integer({ min: 1, max: 6 }), holdTurns: fc.integer({ min: 0, max: 3 }) });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(request, { minLength: 1, maxLength: 30 }), async (size, requests) => {
        const slots = new Slots(size);
        let inUse = 0;
        let peak = 0;
        const granted: number[] = [];
        await Promise.all(
          requests.map(async ({ units, holdTurns }, i) => {
            const release = await slots.acquire(units);
            const taken = Math.min(units, size);
            granted.push(i);
            inUse += taken;
            peak = Math.max(peak, inUse);
            for (let turn = 0; turn < holdTurns; turn++) await Promise.resolve();
            inUse -= taken;
            release();
            release(); // a second call gives nothing back twice
          }),
        );
        expect(peak).toBeLessThanOrEqual(size);
        expect(granted).toEqual(requests.map((_, i) => i));
        expect(inUse).toBe(0);
        // Every slot came back, once: the whole size can be taken again, and then nothing more.
        const all = await slots.acquire(size);
        let more = false;
        const next = slots.acquire(1).then((release) => ((more = true), release));
        for (let turn = 0; turn < 5; turn++) await Promise.resolve();
        expect(more).toBe(false);
        all();
        (await next)();
      }),
      { numRuns: 200 },
    );
  });
});
