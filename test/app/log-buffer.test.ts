import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../src-shared/jobs.js';
import { LogBuffer } from '../../src-renderer/src/store/log-buffer.js';

const line = (seq: number): LogLine => ({ seq, time: seq, stream: 'out', text: `line ${seq}` });

describe("the page's log buffer", () => {
  it('ends with every line once, in order, however history pages and live batches overlap and interleave', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 40 }),
        fc.integer({ min: 1, max: 10_000 }),
        (total, slices, seed) => {
          const all = Array.from({ length: total }, (_, i) => line(i + 1));
          // Arbitrary overlapping batches (live events, pages), then the whole history once, shuffled together.
          const batches = slices.map(([a, b]) => all.slice(Math.min(a, b) % (total + 1), Math.max(a, b) % (total + 1) + 1));
          batches.push(all);
          const order = batches.map((batch, i) => ({ batch, key: (i * 7919 + seed) % 104729 })).sort((x, y) => x.key - y.key);
          const buffer = new LogBuffer();
          for (const { batch } of order) buffer.add(batch);
          expect(buffer.lines).toEqual(all);
        },
      ),
    );
  });

  it('shows nothing past a gap until the gap is filled', () => {
    const buffer = new LogBuffer();
    expect(buffer.add([line(3), line(4)])).toBe(false);
    expect(buffer.lines).toEqual([]);
    expect(buffer.add([line(1), line(2)])).toBe(true);
    expect(buffer.lines.map((l) => l.seq)).toEqual([1, 2, 3, 4]);
    expect(buffer.add([line(2)])).toBe(false);
  });
});
