import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MergeQueue } from '../../src-main/engine/layering/merge-queue.js';

describe('the reuse strategy merge queue', () => {
  it('gives entries back cheapest first, ties by node, each with its own bytes, however pushes and pops interleave', () => {
    const entry = fc.record({ cost: fc.integer({ min: 0, max: 20 }), node: fc.integer({ min: 0, max: 30 }), bytes: fc.double({ noNaN: true }) });
    // A pop (null) or a push; pops on an empty queue are skipped.
    const steps = fc.array(fc.option(entry, { nil: null, freq: 3 }), { maxLength: 200 });
    fc.assert(
      fc.property(steps, (ops) => {
        const queue = new MergeQueue(ops.length);
        const held: { cost: number; node: number; bytes: number }[] = [];
        for (const op of ops) {
          if (op) {
            queue.push(op.cost, op.node, op.bytes);
            held.push(op);
          } else if (held.length > 0) {
            held.sort((a, b) => a.cost - b.cost || a.node - b.node);
            const least = held[0]!;
            const slot = queue.pop();
            expect(queue.nodeAt(slot)).toBe(least.node);
            // Equal cost and node may come out in either order; their bytes are among the tied ones.
            const tied = held.filter((e) => e.cost === least.cost && e.node === least.node);
            const at = tied.findIndex((e) => Object.is(e.bytes, queue.bytesAt(slot)));
            expect(at).toBeGreaterThanOrEqual(0);
            held.splice(held.indexOf(tied[at]!), 1);
          }
          expect(queue.size).toBe(held.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
