/**
 * The Build view's log reads each layer's outcome in plan order, numbered from 1.
 * The engine logs `Layer N: DIGEST SIZE, written` when a layer is done, and
 * layers are written a few at a time, so the lines come in completion order
 * with the 0-based index of the plan (see LayerSummary.index). The view puts
 * those lines back in plan order within the rows they took, leaving every other
 * line where it was; rows keep their own line numbers and times.
 */
import type { LogLine } from '../../../../src-main/engine/jobs/types';

const LAYER_LINE = /^Layer (\d+): /;

/** The first `count` lines with the layer lines in plan order and 1-based; the same array when there are none. */
export function layerLinesInPlanOrder(lines: readonly LogLine[], count: number): readonly LogLine[] {
  const rows: number[] = [];
  const layers: { index: number; rest: string }[] = [];
  for (let i = 0; i < count; i++) {
    const line = lines[i]!;
    if (line.stream !== 'info') continue;
    const match = LAYER_LINE.exec(line.text);
    if (!match) continue;
    rows.push(i);
    layers.push({ index: Number(match[1]), rest: line.text.slice(match[0].length) });
  }
  if (rows.length === 0) return lines;
  layers.sort((a, b) => a.index - b.index);
  const shown = lines.slice(0, count);
  rows.forEach((row, k) => {
    const layer = layers[k]!;
    shown[row] = { ...shown[row]!, text: `Layer ${layer.index + 1}: ${layer.rest}` };
  });
  return shown;
}
