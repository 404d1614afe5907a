import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { LayerPlan } from '../../src-main/engine/layering/index.js';

/** Checks what every plan promises, independently of how it was made. */
export function expectValidPlan(plan: LayerPlan, allPaths: readonly string[], narSizes: ReadonlyMap<string, number>): void {
  const placed = plan.layers.flatMap((l) => l.paths);
  expect([...placed].sort()).toEqual([...allPaths].sort());
  expect(new Set(placed).size).toBe(placed.length);
  expect(plan.layers.length).toBeLessThanOrEqual(plan.maxLayers - 1);
  if (allPaths.length > 0) expect(plan.layers.length).toBeGreaterThan(0);
  let total = 0;
  for (const layer of plan.layers) {
    expect(layer.paths.length).toBeGreaterThan(0);
    expect(layer.paths).toEqual([...layer.paths].sort());
    expect(layer.key).toBe(`sha256:${createHash('sha256').update(layer.paths.join('\n')).digest('hex')}`);
    const size = layer.paths.reduce((sum, p) => sum + narSizes.get(p)!, 0);
    expect(layer.narSize).toBe(size);
    total += size;
  }
  expect(plan.closure).toEqual({ paths: allPaths.length, narSize: total });
}
