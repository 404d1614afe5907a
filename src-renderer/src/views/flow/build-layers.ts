/**
 * The layers of an image build as its log tells them: the plan line gives how
 * many, then one line per layer written or taken from the cache (the image-build
 * job kind's info lines).
 */
import type { LogLine } from '../../../../src-main/engine/jobs/types';

export interface LayerRow {
  readonly index: number;
  readonly digest: string | null;
  readonly size: string | null;
  readonly cached: boolean | null;
}

const PLANNED = /^Planned (\d+) layers for (\d+) store paths/;
const LAYER = /^Layer (\d+): (sha256:[0-9a-f]+)\S* (.+), (from the cache|written)$/;

export function buildLayers(lines: readonly LogLine[], count: number): { planned: number | null; layers: LayerRow[] } {
  let planned: number | null = null;
  const done = new Map<number, LayerRow>();
  for (let i = 0; i < count; i++) {
    const line = lines[i];
    if (!line || line.stream !== 'info') continue;
    const plan = PLANNED.exec(line.text);
    if (plan) planned = Number(plan[1]);
    const layer = LAYER.exec(line.text);
    if (layer) done.set(Number(layer[1]), { index: Number(layer[1]), digest: layer[2]!, size: layer[3]!, cached: layer[4] === 'from the cache' });
  }
  const indices = new Set(done.keys());
  // Indices are 0-based and the plan line counts every layer, the customisation layer included.
  for (let i = 0; i < (planned ?? 0); i++) indices.add(i);
  const layers = [...indices].sort((a, b) => a - b).map((index) => done.get(index) ?? { index, digest: null, size: null, cached: null });
  return { planned, layers };
}
