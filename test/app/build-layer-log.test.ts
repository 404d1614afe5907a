import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../src-main/engine/jobs/types.js';
import { layerLinesInPlanOrder } from '../../src-renderer/src/views/build/layer-log-lines.js';

/** A build's log as the engine writes it: Nix output, the plan, then one line per layer as each finishes. */
function buildLog(nixLines: number, finishOrder: readonly number[]): LogLine[] {
  const texts: { stream: LogLine['stream']; text: string }[] = [
    ...Array.from({ length: nixLines }, (_, i) => ({ stream: 'err' as const, text: `building '/nix/store/${i}-x.drv'...` })),
    { stream: 'info', text: `Planned ${finishOrder.length} layers for 9 store paths (1.0 MiB)` },
    ...finishOrder.map((index) => ({ stream: 'info' as const, text: `Layer ${index}: sha256:${String(index).padStart(12, '0')} 1.0 KiB, written` })),
  ];
  return texts.map((t, i) => ({ seq: i + 1, time: 1000 + i, ...t }));
}

describe("the Build view's log", () => {
  it('shows the layer lines in plan order, numbered from 1, in the rows they took; other lines stay put', () => {
    fc.assert(
      fc.property(fc.nat({ max: 30 }), fc.integer({ min: 1, max: 40 }).chain((n) => fc.shuffledSubarray([...Array(n).keys()], { minLength: n })), (nix, order) => {
        const log = buildLog(nix, order);
        const shown = layerLinesInPlanOrder(log, log.length);
        expect(shown.map((l) => l.seq)).toEqual(log.map((l) => l.seq));
        expect(shown.slice(0, nix + 1)).toEqual(log.slice(0, nix + 1));
        expect(shown.slice(nix + 1).map((l) => l.text)).toEqual(order.map((_, k) => `Layer ${k + 1}: sha256:${String(k).padStart(12, '0')} 1.0 KiB, written`));
      }),
    );
  });

  it('leaves a log without layer lines, and a Nix line that looks like one, alone', () => {
    const log: LogLine[] = [{ seq: 1, time: 1, stream: 'out', text: 'Layer 3: something Nix printed' }];
    expect(layerLinesInPlanOrder(log, 1)).toBe(log);
  });

  it('orders only the lines the page has so far (a build still running)', () => {
    const log = buildLog(2, [2, 0, 3, 1]);
    const shown = layerLinesInPlanOrder(log, 5);
    expect(shown.slice(3).map((l) => l.text.split(':')[0])).toEqual(['Layer 1', 'Layer 3']);
  });
});
