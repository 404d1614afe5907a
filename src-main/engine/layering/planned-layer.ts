import { createHash } from 'node:crypto';
import type { IndexedDag } from './dag.js';
import type { LayerReason } from '../../../src-shared/layer-reason.js';

/** A set of store paths that a strategy put in one layer. */
export interface LayerGroup {
  /**
   * `sha256:<hex>` of the layer's store paths, sorted by code unit and joined by
   * a single '\n' (no trailing newline), as UTF-8. Two plans that put the same
   * paths in a layer give it the same key, which is what the layer cache looks up.
   */
  key: string;
  /** Store paths, sorted. */
  paths: string[];
  /** Sum of the paths' NAR sizes, in bytes. */
  narSize: number;
}

/** A layer of a plan: its group, why it is what it is, and whether the store holds it already. */
export interface PlannedLayer extends LayerGroup {
  reason: LayerReason;
  /** The store already holds this exact layer (with the build's compression): building it writes nothing. */
  reused: boolean;
}

export function layerKey(sortedPaths: readonly string[]): string {
  return `sha256:${createHash('sha256').update(sortedPaths.join('\n'), 'utf8').digest('hex')}`;
}

/** The layer holding the nodes `members` of `dag`. */
export function plannedLayer(dag: IndexedDag, members: readonly number[]): LayerGroup {
  // dag.paths is sorted, so ascending indices give sorted paths.
  const indices = Int32Array.from(members).sort();
  const paths = new Array<string>(indices.length);
  let narSize = 0;
  for (let k = 0; k < indices.length; k++) {
    paths[k] = dag.paths[indices[k]!]!;
    narSize += dag.narSize[indices[k]!]!;
  }
  return { key: layerKey(paths), paths, narSize };
}
